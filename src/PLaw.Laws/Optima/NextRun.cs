using PLaw.Laws.Fitting;

namespace PLaw.Laws.Optima;

/// <summary>An untrained grid point and why it is worth training next.</summary>
/// <param name="OptimalShare">Share of bootstrap refits in which this configuration is the best grid point.</param>
/// <param name="PredictedSd">Bootstrap standard deviation of its predicted value.</param>
/// <param name="Score">OptimalShare × PredictedSd: the criterion, largest first.</param>
public sealed record RunSuggestion(int Layers, int Dim, double PredictedMean, double PredictedSd, double OptimalShare, double Score);

/// <summary>
/// Next best run on a partly finished grid. Criterion: among the grid's untrained points, those that are the grid optimum in
/// at least one bootstrap refit are the plausible optima; the suggestion is the one with the largest
/// (share of refits where it is optimal) × (bootstrap SD of its prediction) — where the optimum is likely and least pinned
/// down, a measurement removes most of the optimum's uncertainty. When no untrained point is ever optimal, the untrained
/// point with the largest bootstrap SD among the top quarter by predicted mean is suggested (score = its SD, share 0).
/// </summary>
public static class NextRun
{
    public static IReadOnlyList<RunSuggestion> Suggest(IReadOnlyList<(int Layers, int Dim)> grid, IReadOnlyList<PerformancePoint> measured,
        BootstrapOptions? options = null)
    {
        var done = measured.Select(p => (p.Layers, p.Dim)).ToHashSet();
        var untrained = grid.Distinct().Where(g => !done.Contains(g)).ToList();
        if (untrained.Count == 0) throw new ArgumentException("every grid point has been measured: nothing left to suggest.");
        var full = PerformanceFit.Fit(measured);
        var replicates = Bootstrap.Refit(measured, full, options, out _);
        if (replicates.Count < 2) throw new LawFitException(FitFailure.NoConvergence, "fewer than two bootstrap refits succeeded: no uncertainty to reduce.");

        var candidates = grid.Distinct().ToList();
        var optimalCounts = new Dictionary<(int, int), int>();
        foreach (var law in replicates)
        {
            var best = candidates.OrderByDescending(c => law.Value(c.Layers, c.Dim)).ThenBy(c => c.Layers).ThenBy(c => c.Dim).First();
            optimalCounts[best] = optimalCounts.GetValueOrDefault(best) + 1;
        }
        var stats = untrained.Select(c =>
        {
            var values = replicates.Select(l => l.Value(c.Layers, c.Dim)).ToArray();
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            var share = (double)optimalCounts.GetValueOrDefault(c) / replicates.Count;
            return new RunSuggestion(c.Layers, c.Dim, mean, sd, share, share * sd);
        }).ToList();
        if (stats.Any(s => s.OptimalShare > 0))
            return stats.Where(s => s.OptimalShare > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Layers).ThenBy(s => s.Dim).ToList();
        var quarter = Math.Max(1, stats.Count / 4);
        return stats.OrderByDescending(s => s.PredictedMean).Take(quarter)
            .Select(s => s with { Score = s.PredictedSd })
            .OrderByDescending(s => s.Score).ThenBy(s => s.Layers).ThenBy(s => s.Dim).ToList();
    }
}
