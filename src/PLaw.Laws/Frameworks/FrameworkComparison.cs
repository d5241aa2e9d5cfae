using PLaw.Laws.Fitting;

namespace PLaw.Laws.Frameworks;

/// <summary>One training run as the dashboard stores it: model family, precision, shape, and its metrics by name (HR@10, NDCG@50, …).
/// A failed run has no metrics or non-finite ones.</summary>
public sealed record FrameworkRun(string Family, string Precision, int Layers, int Dim, IReadOnlyDictionary<string, double> Metrics);

/// <summary>A parameter estimate with its standard error (null where not identifiable).</summary>
public sealed record Estimate(double Value, double? StandardError)
{
    public bool Overlaps(Estimate other, double k = 2) =>
        StandardError is not { } a || other.StandardError is not { } b || Math.Abs(Value - other.Value) <= k * (a + b);
}

/// <summary>
/// One (family, precision): the performance law fitted to its runs on <see cref="FrameworkComparisonResult.Metric"/>;
/// w1, w2 are the scaling potential in depth and width (larger is better). <see cref="FitError"/> says why there is no fit.
/// </summary>
public sealed record FrameworkRow(string Family, string Precision, int Runs, int FailedRuns, Estimate? W1, Estimate? W2, double? R2,
    IReadOnlyDictionary<string, double> BestMeasured, string? FitError)
{
    public string Label => $"{Family} ({Precision})";
}

public sealed record FrameworkComparisonResult(string Metric, IReadOnlyList<FrameworkRow> Rows, IReadOnlyList<string> Verdicts);

/// <summary>
/// Framework comparison on one dataset: fit the performance law per (family, precision), tabulate w1, w2 ± SE and the best
/// measured value of each metric, and say in plain language which differences the data can and cannot separate: two
/// estimates are "not separable" when their ±2 SE intervals overlap.
/// </summary>
public static class FrameworkComparison
{
    public static FrameworkComparisonResult Compare(IReadOnlyList<FrameworkRun> runs, string metric = "NDCG@10")
    {
        var rows = new List<FrameworkRow>();
        foreach (var g in runs.GroupBy(r => (r.Family, r.Precision)).OrderBy(g => g.Key.Family).ThenBy(g => g.Key.Precision))
        {
            var ok = g.Where(r => r.Metrics.Count > 0 && r.Metrics.Values.All(double.IsFinite)).ToList();
            var failed = g.Count() - ok.Count;
            var best = ok.SelectMany(r => r.Metrics).GroupBy(m => m.Key).ToDictionary(m => m.Key, m => m.Max(x => x.Value));
            var points = ok.Where(r => r.Metrics.ContainsKey(metric)).Select(r => new PerformancePoint(r.Layers, r.Dim, r.Metrics[metric])).ToList();
            try
            {
                var fit = PerformanceFit.Fit(points).Result;
                rows.Add(new FrameworkRow(g.Key.Family, g.Key.Precision, g.Count(), failed,
                    new Estimate(fit["w1"], fit.StandardError("w1")), new Estimate(fit["w2"], fit.StandardError("w2")), fit.R2, best, null));
            }
            catch (LawFitException e)
            {
                rows.Add(new FrameworkRow(g.Key.Family, g.Key.Precision, g.Count(), failed, null, null, null, best, e.Message));
            }
        }
        return new FrameworkComparisonResult(metric, rows, Verdicts(rows));
    }

    private static List<string> Verdicts(List<FrameworkRow> rows)
    {
        var verdicts = new List<string>();
        foreach (var row in rows.Where(r => r.FitError is not null))
            verdicts.Add($"{row.Label}: no law fitted — {row.FitError}");
        var fitted = rows.Where(r => r.W1 is not null).ToList();
        for (var i = 0; i < fitted.Count; i++)
        for (var j = i + 1; j < fitted.Count; j++)
        {
            var (a, b) = (fitted[i], fitted[j]);
            var parts = new List<string>();
            foreach (var (name, what, ea, eb) in new[] { ("w1", "depth", a.W1!, b.W1!), ("w2", "width", a.W2!, b.W2!) })
            {
                if (ea.StandardError is null || eb.StandardError is null)
                    parts.Add($"{name} ({what}) has no standard error for one of them, so the data cannot compare it");
                else if (ea.Overlaps(eb))
                    parts.Add($"{name} ({what}) {Format(ea)} vs {Format(eb)}: the ±2 SE intervals overlap, the data cannot separate them");
                else
                    parts.Add($"{(ea.Value > eb.Value ? a.Label : b.Label)} scales better with {what} ({name} {Format(ea)} vs {Format(eb)}, beyond ±2 SE)");
            }
            verdicts.Add($"{a.Label} vs {b.Label}: {string.Join("; ", parts)}.");
        }
        return verdicts;
    }

    private static string Format(Estimate e) => e.StandardError is { } se ? $"{e.Value:G3} ± {se:G2}" : $"{e.Value:G3}";
}
