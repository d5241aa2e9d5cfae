using System.Globalization;
using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;
using PLaw.Laws.Seeds;

namespace PLaw.Web.Laws;

/// <summary>The candidate table of one study (family, precision) and what it was built from.</summary>
/// <param name="Box">The measured depths and widths: rows outside it are extrapolations, ranked after every row inside.</param>
public sealed record OptimaReport(string Metric, MetricFitSet Fits, PerformanceLawParameters Ranking, IReadOnlyList<CandidateRow> Rows,
    SearchSpace Space, OptimumConstraint Constraint, IReadOnlyList<PerformancePoint> Points, MeasuredBox Box)
{
    /// <summary>The ranking law's degenerate parameters (<see cref="FitWarnings"/>): shown wherever its predictions are.</summary>
    public IReadOnlyList<FitWarning> Degenerate => Fits.Fits[Metric].Result.Warnings;

    /// <summary>The ranking metric's runs by configuration (mean, SD, n) and whether its law is weighted by them.</summary>
    public SeedData Seeds => Fits.Seeds[Metric];

    /// <summary>The best extrapolated row that beats the best measured-range one, if any.</summary>
    public CandidateRow? BetterBeyond => Rows[0].Extrapolated ? null
        : Rows.FirstOrDefault(r => r.Extrapolated && r.Predicted[Metric] > Rows[0].Predicted[Metric]);

    /// <summary>What a reader must know before using the optimum, in words.</summary>
    public IEnumerable<string> Warnings()
    {
        var best = Rows[0];
        if (Degenerate.Count > 0)
            yield return $"The {Metric} law is degenerate, so its predictions are not reliable: {string.Join(" ", Degenerate.Select(w => w.Text))}";
        if (best.Extrapolated)
            yield return $"No configuration within the measured range ({Box.Describe()}) meets the constraint: the best one is an extrapolation.";
        if (best.Layers == Space.MaxLayers || best.Dim == Space.MaxDim)
            yield return "The optimum is on the upper edge of the searched space: the law may keep improving beyond it; widen the ranges.";
        if (BetterBeyond is { } beyond)
            yield return $"Beyond the measured range the law predicts {Metric} {beyond.Predicted[Metric]:F4} at {beyond.Layers} layers × width {beyond.Dim} " +
                         "(marked extrapolated below): an untested prediction; train it before relying on it.";
    }
}

/// <summary>
/// The optima page's query parameters turned into the library's search space and constraint (with one clear sentence when a
/// value is unusable), and the candidate table built from runs.
/// </summary>
public static class OptimaQuery
{
    public static readonly string[] Constraints = ["none", "layers", "budget", "params", "flops"];

    /// <summary>"1:64" → (1, 64); null or empty → the fallback.</summary>
    public static (int Min, int Max) ParseRange(string? text, (int, int) fallback, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var min)
                              && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var max))
            return (min, max);
        throw new ArgumentException($"{what} '{text}': expected min:max, e.g. 1:64.");
    }

    /// <summary>The width grid's default step: candidates 8 apart, not 1015…1024.</summary>
    public const int DefaultDimStep = 8;

    /// <summary>The measured depths and widths of the completed runs.</summary>
    public static MeasuredBox Box(IReadOnlyList<LawRun> runs) => MeasuredBox.Of(LawInputs.Measured(runs).Select(r => (r.Layers, r.Dim)));

    /// <summary>
    /// none: global; layers: depth fixed at value; budget: layers × width = value ± tolerance; params: non-embedding parameters
    /// (the family's formula) ≤ value; flops: training FLOPs per token over a context of <paramref name="contextLength"/> ≤ value.
    /// </summary>
    public static OptimumConstraint Constraint(string kind, double? value, double tolerance, string family, int contextLength)
    {
        if (kind == "none") return new Unconstrained();
        if (value is not { } v || !double.IsFinite(v) || v <= 0)
            throw new ArgumentException($"the '{kind}' constraint needs a positive value (value=…).");
        return kind switch
        {
            "layers" => new FixedLayers((int)Math.Round(v)),
            "budget" => new LayersTimesDim((long)Math.Round(v), tolerance),
            "params" => new MaxParameters((long)Math.Round(v), LawInputs.ParameterCount(family)),
            "flops" => new MaxTrainingFlops(v, TrainingFlops.ForFamily(LawInputs.ParameterCount(family), contextLength)),
            _ => throw new ArgumentException($"unknown constraint '{kind}': expected one of {string.Join(", ", Constraints)}."),
        };
    }

    /// <summary>The context length L for the FLOPs budget: the runs' most common max length (50 without runs).</summary>
    public static int ContextLength(IReadOnlyList<LawRun> runs) =>
        runs.Count > 0 ? runs.GroupBy(r => r.MaxLength).MaxBy(g => g.Count())!.Key : 50;

    /// <summary>A value to start from when a constraint is chosen: the paper's 512 for layers × width, else the runs' median.</summary>
    public static double DefaultValue(string kind, IReadOnlyList<LawRun> runs, string family, int contextLength)
    {
        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? 1 : sorted[sorted.Length / 2];
        }
        var count = LawInputs.ParameterCount(family);
        return kind switch
        {
            "layers" => Median(runs.Select(r => (double)r.Layers)),
            "budget" => 512,
            "params" => Median(runs.Select(r => (double)count(r.Layers, r.Dim))),
            "flops" => Median(runs.Select(r => TrainingFlops.ForFamily(count, contextLength)(r.Layers, r.Dim))),
            _ => 0,
        };
    }

    /// <summary>Fits the paper's four metrics and <paramref name="metric"/> (each its own law) and ranks the space by <paramref name="metric"/>.</summary>
    public static Outcome<OptimaReport> Build(IReadOnlyList<LawRun> runs, string metric, SearchSpace space, OptimumConstraint constraint, int top)
    {
        var measured = LawInputs.Measured(runs);
        var fits = MetricFits.Fit(measured, CandidateTable.PaperMetrics.Append(metric).Distinct());
        if (fits.Errors.TryGetValue(metric, out var error)) return new Outcome<OptimaReport>(null, $"{metric}: {error}");
        // Measured values beside the predictions: with several seeds, each metric's mean over them.
        var byShape = measured.GroupBy(r => (r.Layers, r.Dim)).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g
            .SelectMany(r => r.Metrics).GroupBy(m => m.Key).ToDictionary(m => m.Key, m => m.Average(x => x.Value)));
        var points = measured.Where(r => r.Metrics.TryGetValue(metric, out var v) && double.IsFinite(v))
            .Select(r => new PerformancePoint(r.Layers, r.Dim, r.Metrics[metric])).ToList();
        var box = MeasuredBox.Of(measured.Select(r => (r.Layers, r.Dim)));
        return Outcome<OptimaReport>.Of(() => new OptimaReport(metric, fits, fits.Laws[metric],
            CandidateTable.Build(fits.Laws, metric, space, constraint, top, byShape, box), space, constraint, points, box));
    }
}
