using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Frameworks;
using PLaw.Laws.Optima;
using PLaw.Laws.Seeds;
using PLaw.Registry.Runs;
using PLaw.Web.Components;

namespace PLaw.Web.Laws;

/// <summary>A fit or the library's reason for refusing it (one sentence, shown as is).</summary>
public sealed record Outcome<T>(T? Result, string? Error) where T : class
{
    public static Outcome<T> Of(Func<T> fit)
    {
        try { return new Outcome<T>(fit(), null); }
        catch (LawFitException e) { return new Outcome<T>(null, e.Message); }
        catch (ArgumentException e) { return new Outcome<T>(null, e.Message); }
    }
}

/// <summary>
/// A performance-law fit of one metric, the runs it was fitted to, those runs grouped by configuration (mean, SD, n; the fit is
/// on the means, weighted by 1/SE², when configurations have several seeds) and the parameters' bootstrap intervals.
/// </summary>
public sealed record PerformanceReport(string Metric, IReadOnlyList<LawRun> Runs, PerformanceFit Fit, SeedData Seeds, SeedIntervals Intervals)
{
    /// <summary>The library's next best run for this law (a new configuration or another seed), or null with <see cref="NextRunNote"/> saying why.</summary>
    public RunSuggestion? NextRun { get; init; }

    public string? NextRunNote { get; init; }

    /// <summary>The runs of each configuration, in <see cref="SeedData.Configurations"/> order.</summary>
    public IReadOnlyList<LawRun> RunsOf(SeedConfiguration configuration) => configuration.Rows.Select(i => Runs[i]).ToList();
}

/// <summary>An LSRM fit of the final test loss over non-embedding parameters, the runs it was fitted to, their seeds and intervals.</summary>
public sealed record ScalingReport(IReadOnlyList<LawRun> Runs, LsrmParameters Parameters, LawFit Fit, SeedData Seeds, SeedIntervals Intervals);

/// <summary>
/// Turns registry runs into the law library's inputs. Only completed runs are measurements; a completed run whose metric is NaN is
/// passed on, so the library refuses the fit and names the run instead of fitting around it.
/// </summary>
public static class LawInputs
{
    public const string Loss = "loss";

    /// <summary>Completed runs reporting <paramref name="metric"/> (any value, NaN included).</summary>
    public static IReadOnlyList<LawRun> Reporting(IEnumerable<LawRun> runs, string metric) =>
        runs.Where(r => r.Status == RunStatus.Completed && r.Metrics.ContainsKey(metric)).ToList();

    public static IReadOnlyList<PerformancePoint> Performance(IReadOnlyList<LawRun> runs, string metric) =>
        runs.Select(r => new PerformancePoint(r.Layers, r.Dim, r.Metrics[metric])).ToList();

    public static IReadOnlyList<ScalingPoint> Scaling(IReadOnlyList<LawRun> runs) =>
        runs.Select(r => new ScalingPoint(r.NonEmbeddingParameters, r.Metrics[Loss])).ToList();

    /// <summary>Completed runs with all their metrics (MetricFits leaves a run out of a metric whose value is not finite).</summary>
    public static IReadOnlyList<MeasuredRun> Measured(IEnumerable<LawRun> runs) =>
        runs.Where(r => r.Status == RunStatus.Completed).Select(r => new MeasuredRun(r.Layers, r.Dim, r.Metrics)).ToList();

    /// <summary>
    /// Completed and failed runs (a failed run has no metrics: the comparison counts it and leaves it out of the fit), each family
    /// under its display name (HSTU, SASRec, LLaMA), so the library's verdicts read as the rest of the dashboard does.
    /// </summary>
    public static IReadOnlyList<FrameworkRun> Frameworks(IEnumerable<LawRun> runs) =>
        runs.Where(r => r.Status is RunStatus.Completed or RunStatus.Failed)
            .Select(r => new FrameworkRun(Labels.Family(r.Family), r.Precision, r.Layers, r.Dim, r.Status == RunStatus.Completed ? r.Metrics : new Dictionary<string, double>()))
            .ToList();

    /// <summary>Bootstrap resamples behind the parameter intervals of the laws page (seeded, so a shared link shows the same intervals).</summary>
    public const int IntervalResamples = 100;

    /// <summary>The seed-aware performance law (<see cref="SeedFit.Performance"/>) and its parameter intervals (<see cref="SeedBootstrap"/>).</summary>
    public static Outcome<PerformanceReport> FitPerformance(IReadOnlyList<LawRun> runs, string metric)
    {
        var used = Reporting(runs, metric);
        if (used.Count == 0) return new Outcome<PerformanceReport>(null, NoneReports(runs, metric));
        return Outcome<PerformanceReport>.Of(() =>
        {
            var points = Performance(used, metric);
            var seeded = SeedFit.Performance(points);
            var intervals = SeedBootstrap.Intervals(new SeededFit(seeded.Fit.Result, seeded.Seeds), IntervalResamples);
            var (next, note) = SuggestNextRun(runs, points);
            return new PerformanceReport(metric, used, seeded.Fit, seeded.Seeds, intervals) { NextRun = next, NextRunNote = note };
        });
    }

    /// <summary>The seed-aware LSRM law (<see cref="SeedFit.Lsrm"/>) and its parameter intervals.</summary>
    public static Outcome<ScalingReport> FitScaling(IReadOnlyList<LawRun> runs)
    {
        var used = Reporting(runs, Loss);
        if (used.Count == 0) return new Outcome<ScalingReport>(null, NoneReports(runs, Loss));
        return Outcome<ScalingReport>.Of(() =>
        {
            var seeded = SeedFit.Lsrm(Scaling(used));
            var fit = seeded.Fit;
            return new ScalingReport(used, new LsrmParameters(fit.Values[0], fit.Values[1], fit.Values[2]), fit, seeded.Seeds,
                SeedBootstrap.Intervals(seeded, IntervalResamples));
        });
    }

    /// <summary>Bootstrap resamples behind the laws page's next-run suggestion (the optima page draws as many as asked).</summary>
    public const int NextRunResamples = 60;

    /// <summary>The next run on the study's grid (its own bootstrap of <see cref="NextRunResamples"/> resamples), costed by the family's
    /// training FLOPs per token at the runs' context length.</summary>
    private static (RunSuggestion?, string?) SuggestNextRun(IReadOnlyList<LawRun> runs, IReadOnlyList<PerformancePoint> points)
    {
        try
        {
            var cost = TrainingFlops.ForFamily(ParameterCount(runs[0].Family), OptimaQuery.ContextLength(runs));
            var suggestions = NextRun.Suggest(Grid(runs), points, new BootstrapOptions(NextRunResamples, OptimumBootstrap.Seed), OptimaQuery.DefaultDimStep, cost);
            return (suggestions[0], null);
        }
        catch (Exception e) when (e is LawFitException or ArgumentException)
        {
            return (null, e.Message);
        }
    }

    private static string NoneReports(IReadOnlyList<LawRun> runs, string metric) =>
        $"none of the {runs.Count(r => r.Status == RunStatus.Completed)} completed runs reports {metric} in its final test metrics.";

    /// <summary>
    /// The library's non-embedding parameter formula for a registry family name. The registry says sasrec, hstu, llama; the
    /// library's <see cref="ParameterCounts"/> says pm-sasrec, pl-hstu, llama (the GR reference HSTU variant is counted as PL-HSTU).
    /// </summary>
    public static Func<int, int, long> ParameterCount(string family) => LawFamilies.Model(family).ToLowerInvariant() switch
    {
        "sasrec" => ParameterCounts.PmSasrec,
        "hstu" => ParameterCounts.PlHstu,
        _ => ParameterCounts.ForFamily(family),
    };

    /// <summary>The (layers, dim) grid of a study's runs of one family (any status): what NextRun may suggest from.</summary>
    public static IReadOnlyList<(int Layers, int Dim)> Grid(IEnumerable<LawRun> runs) => runs.Select(r => (r.Layers, r.Dim)).Distinct().ToList();
}

/// <summary>One (family, precision)'s law for the framework curves: refitted here because the comparison's rows carry w1, w2 only.</summary>
public sealed record FamilyLaw(string Family, string Precision, IReadOnlyList<LawRun> Runs, PerformanceFit? Fit, int Dim)
{
    /// <summary>As the comparison's rows name it (<see cref="FrameworkRow.Label"/>): display family name and precision.</summary>
    public string Label => $"{Labels.Family(Family)} ({Precision})";
}

public static class FrameworkInputs
{
    /// <summary>Per (family, precision): the law of <paramref name="metric"/>, drawn at the width of the family's best run.</summary>
    public static IReadOnlyList<FamilyLaw> Laws(IEnumerable<LawRun> runs, string metric) =>
        runs.Where(r => r.Status == RunStatus.Completed).GroupBy(r => (r.Family, r.Precision)).OrderBy(g => g.Key.Family).ThenBy(g => g.Key.Precision)
            .Select(g =>
            {
                var used = LawInputs.Reporting(g, metric).Where(r => double.IsFinite(r.Metrics[metric])).ToList();
                var fit = Outcome<PerformanceFit>.Of(() => SeedFit.Performance(LawInputs.Performance(used, metric)).Fit).Result;
                var dim = used.Count == 0 ? 0 : used.MaxBy(r => r.Metrics[metric])!.Dim;
                return new FamilyLaw(g.Key.Family, g.Key.Precision, used, fit, dim);
            }).ToList();

    /// <summary>Rows by scaling potential, larger first (w1 then w2, or w2 then w1); rows without a law last.</summary>
    public static IReadOnlyList<FrameworkRow> Ranked(IEnumerable<FrameworkRow> rows, string by) => by == "w2"
        ? rows.OrderBy(r => r.W2 is null).ThenByDescending(r => r.W2?.Value).ThenByDescending(r => r.W1?.Value).ToList()
        : rows.OrderBy(r => r.W1 is null).ThenByDescending(r => r.W1?.Value).ThenByDescending(r => r.W2?.Value).ToList();
}
