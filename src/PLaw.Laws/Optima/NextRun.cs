using System.Globalization;
using PLaw.Laws.Fitting;
using PLaw.Laws.Seeds;

namespace PLaw.Laws.Optima;

/// <summary>A configuration worth training next (a new one, or another seed of a measured one) and why.</summary>
/// <param name="OptimalShare">Share of bootstrap refits in which this configuration is the best candidate.</param>
/// <param name="PredictedSd">Bootstrap standard deviation of its predicted value.</param>
/// <param name="Score">Expected information per unit of compute (<see cref="NextRun"/>): largest first.</param>
public sealed record RunSuggestion(int Layers, int Dim, double PredictedMean, double PredictedSd, double OptimalShare, double Score)
{
    /// <summary>Not on the study's grid: the grid was fully measured, so the candidates are <see cref="NextRun.Frontier"/>'s.</summary>
    public bool BeyondGrid { get; init; }

    /// <summary>Another seed of a configuration already measured (<see cref="Seeds"/> runs so far), not a new configuration.</summary>
    public bool Reseed { get; init; }

    /// <summary>Runs (seeds) the configuration has now; 0 for a new one.</summary>
    public int Seeds { get; init; }

    /// <summary>Its training cost over the median measured configuration's (FLOPs per token).</summary>
    public double RelativeCost { get; init; } = 1;

    /// <summary>Why, in one or two plain sentences.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>
/// Next best run: the run that buys the most information about the optimum per unit of compute.
/// <para>
/// Information of one more run at c = P(c is best) × (how much the run shrinks the SD of what we know about c's value), over
/// its compute relative to the median measured configuration (<see cref="TrainingFlops"/> per token, the family's
/// <see cref="ParameterCounts"/> formula). P(best) is the share of bootstrap refits (over seeds when configurations have several,
/// <see cref="Bootstrap.Refit"/>) in which c is the optimum among the grid, the measured and the candidate configurations.
/// For an untrained c it is the bootstrap SD s of its prediction: the prediction is untested there, and a run checks the law
/// itself, not only the fitted parameters, so it counts as pinning it down whatever one seed's noise. For a measured c with n
/// seeds and per-seed variance v (<see cref="SeedData"/>), another seed
/// shrinks the standard error of its mean from √(v/n) to √(v/(n + 1)); as that only helps while the optimum is contested, a
/// re-seed's P(best) counts as 2p(1 − p) (0 when every refit agrees it is, or is not, the best). Re-seeds are offered only when
/// the seed noise is known.
/// Among configurations that are the optimum in at least one refit, the largest score wins. When none is (no new configuration
/// is ever optimal and no re-seed applies), the one with the largest bootstrap SD per unit cost among the top quarter of new
/// configurations by predicted mean is suggested (share 0). Candidates are the grid's untrained points; on a fully measured grid
/// the <see cref="Frontier"/>, so a suggestion always exists.
/// </para>
/// </summary>
public static class NextRun
{
    /// <summary>Context length of the default cost (SASRec's usual 50).</summary>
    public const int DefaultContext = 50;

    /// <param name="cost">Training cost of (layers, dim), e.g. <see cref="TrainingFlops.ForFamily"/>; default PM-SASRec FLOPs per token at L = 50.</param>
    public static IReadOnlyList<RunSuggestion> Suggest(IReadOnlyList<(int Layers, int Dim)> grid, IReadOnlyList<PerformancePoint> measured,
        BootstrapOptions? options = null, int dimStep = 8, Func<int, int, double>? cost = null)
    {
        var seeded = SeedFit.Performance(measured);
        return Suggest(grid, measured, seeded.Seeds, Bootstrap.Refit(measured, seeded.Fit, options, out _), dimStep, cost);
    }

    /// <summary>
    /// The same from bootstrap refits of the measured points already drawn (<see cref="Bootstrap.Refit"/> of the seed-aware fit),
    /// so a caller that has them for the optimum's uncertainty does not refit them again.
    /// </summary>
    public static IReadOnlyList<RunSuggestion> Suggest(IReadOnlyList<(int Layers, int Dim)> grid, IReadOnlyList<PerformancePoint> measured,
        SeedData seeds, IReadOnlyList<PerformanceLawParameters> replicates, int dimStep = 8, Func<int, int, double>? cost = null)
    {
        cost ??= TrainingFlops.ForFamily(ParameterCounts.PmSasrec, DefaultContext);
        var done = measured.Select(p => (p.Layers, p.Dim)).ToHashSet();
        var untrained = grid.Distinct().Where(g => !done.Contains(g)).ToList();
        var beyond = untrained.Count == 0;
        if (beyond) untrained = Frontier(done, dimStep);
        if (replicates.Count < 2) throw new LawFitException(FitFailure.NoConvergence, "fewer than two bootstrap refits succeeded: no uncertainty to reduce.");

        var candidates = grid.Concat(done).Concat(untrained).Distinct().ToList();
        var optimalCounts = new Dictionary<(int, int), int>();
        foreach (var law in replicates)
        {
            var best = candidates.OrderByDescending(c => law.Value(c.Layers, c.Dim)).ThenBy(c => c.Layers).ThenBy(c => c.Dim).First();
            optimalCounts[best] = optimalCounts.GetValueOrDefault(best) + 1;
        }
        double Share((int, int) c) => (double)optimalCounts.GetValueOrDefault(c) / replicates.Count;
        var medianCost = Median(done.Select(c => cost(c.Layers, c.Dim)));
        double Relative(int layers, int dim) => medianCost > 0 && cost(layers, dim) is var x && double.IsFinite(x) && x > 0 ? x / medianCost : 1;

        var fresh = untrained.Select(c =>
        {
            var (mean, sd) = Spread(replicates.Select(l => l.Value(c.Layers, c.Dim)).ToArray());
            var share = Share(c);
            var gain = sd;   // an untested prediction: the run checks the law there, whatever one seed's noise
            var relative = Relative(c.Layers, c.Dim);
            return new RunSuggestion(c.Layers, c.Dim, mean, sd, share, share * gain / relative) { BeyondGrid = beyond, RelativeCost = relative };
        }).ToList();
        var reseeds = !seeds.Weighted ? [] : seeds.Configurations.Select(c =>
        {
            var (layers, dim) = ((int)c.Input[0], (int)c.Input[1]);
            var (mean, sd) = Spread(replicates.Select(l => l.Value(layers, dim)).ToArray());
            var share = Share((layers, dim));
            var gain = Math.Sqrt(c.Variance / c.N) - Math.Sqrt(c.Variance / (c.N + 1));
            var relative = Relative(layers, dim);
            return new RunSuggestion(layers, dim, mean, sd, share, 2 * share * (1 - share) * gain / relative) { Reseed = true, Seeds = c.N, RelativeCost = relative };
        }).Where(s => s.Score > 0).ToList();

        var plausible = fresh.Where(s => s.OptimalShare > 0).Concat(reseeds).ToList();
        var ranked = plausible.Count > 0
            ? plausible
            : fresh.OrderByDescending(s => s.PredictedMean).Take(Math.Max(1, fresh.Count / 4)).Select(s => s with { Score = s.PredictedSd / s.RelativeCost }).ToList();
        var ordered = ranked.OrderByDescending(s => s.Score).ThenBy(s => s.Reseed).ThenBy(s => s.Layers).ThenBy(s => s.Dim).ToList();
        var rival = optimalCounts.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2).Select(p => p.Key).ToList();
        return ordered.Select(s => s with { Reason = Reason(s, plausible.Count > 0, seeds, rival, Share) }).ToList();
    }

    private static string Reason(RunSuggestion s, bool plausible, SeedData seeds, IReadOnlyList<(int Layers, int Dim)> byShare, Func<(int, int), double> share)
    {
        var cost = $"{s.RelativeCost.ToString("G2", CultureInfo.InvariantCulture)}× the compute of the median measured configuration";
        if (s.Reseed)
        {
            var configuration = seeds.Configurations.First(c => (int)c.Input[0] == s.Layers && (int)c.Input[1] == s.Dim);
            var other = byShare.FirstOrDefault(c => c != (s.Layers, s.Dim));
            var against = other == default ? "" : $" against {other.Layers} × {other.Dim} in {share(other):P0}";
            var spread = configuration.N >= 2 ? $"its {configuration.N} seeds spread by SD {configuration.Sd:G3}" : "it has one seed";
            return $"Another seed of {s.Layers} × {s.Dim}: it is the optimum in {s.OptimalShare:P0} of refits{against}, and {spread}, so one more seed " +
                   $"shrinks the standard error of its mean from {Math.Sqrt(configuration.Variance / configuration.N):G3} to {Math.Sqrt(configuration.Variance / (configuration.N + 1)):G3}, " +
                   $"telling the top candidates apart at {cost}.";
        }
        if (!plausible)
            return $"No untrained configuration is ever the optimum and no re-seed would change which is best; among the best-predicted quarter, " +
                   $"{s.Layers} × {s.Dim} is the least pinned down (bootstrap SD {s.PredictedSd:G3}) per unit of compute ({cost}).";
        return $"{s.Layers} × {s.Dim} is the optimum in {s.OptimalShare:P0} of refits and its prediction ({s.PredictedMean:F4} ± {s.PredictedSd:G3}) is " +
               $"worth pinning down per unit of compute ({cost})" + (s.BeyondGrid ? "; the study's grid is fully measured, so it lies between or just beyond its configurations." : ".");
    }

    private static (double Mean, double Sd) Spread(double[] values)
    {
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => double.IsFinite(v) && v > 0).Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Unmeasured configurations inside or just beyond the measured ones: depths are the measured ones, the integer midpoint of
    /// each gap of two or more, and twice the deepest; widths likewise, with geometric midpoints on the width grid and twice the
    /// widest. Never empty: twice the deepest is always new.
    /// </summary>
    public static List<(int Layers, int Dim)> Frontier(IReadOnlySet<(int Layers, int Dim)> measured, int dimStep = 8)
    {
        if (measured.Count == 0) throw new ArgumentException("no measured configuration: nothing to extend.");
        var layers = Extend(measured.Select(m => m.Layers), (a, b) => b - a >= 2 ? (a + b) / 2 : null);
        var dims = Extend(measured.Select(m => m.Dim), (a, b) =>
        {
            var mid = (int)Math.Round(Math.Sqrt((double)a * b) / dimStep) * dimStep;
            return mid > a && mid < b ? mid : null;
        });
        return (from n in layers from d in dims where !measured.Contains((n, d)) select (n, d)).ToList();
    }

    private static List<int> Extend(IEnumerable<int> values, Func<int, int, int?> between)
    {
        var sorted = values.Distinct().Order().ToList();
        var extended = new List<int>(sorted);
        for (var i = 1; i < sorted.Count; i++)
            if (between(sorted[i - 1], sorted[i]) is { } mid) extended.Add(mid);
        extended.Add(2 * sorted[^1]);
        return extended.Distinct().Order().ToList();
    }
}
