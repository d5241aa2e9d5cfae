using PLaw.Laws.Fitting;

namespace PLaw.Laws.Optima;

/// <summary>An untrained configuration and why it is worth training next.</summary>
/// <param name="OptimalShare">Share of bootstrap refits in which this configuration is the best candidate.</param>
/// <param name="PredictedSd">Bootstrap standard deviation of its predicted value.</param>
/// <param name="Score">OptimalShare × PredictedSd: the criterion, largest first.</param>
public sealed record RunSuggestion(int Layers, int Dim, double PredictedMean, double PredictedSd, double OptimalShare, double Score)
{
    /// <summary>Not on the study's grid: the grid was fully measured, so the candidates are <see cref="NextRun.Frontier"/>'s.</summary>
    public bool BeyondGrid { get; init; }
}

/// <summary>
/// Next best run. Criterion: among the untrained candidates, those that are the optimum in at least one bootstrap refit are the
/// plausible optima; the suggestion is the one with the largest (share of refits where it is optimal) × (bootstrap SD of its
/// prediction) — where the optimum is likely and least pinned down, a measurement removes most of the optimum's uncertainty.
/// When no untrained candidate is ever optimal, the one with the largest bootstrap SD among the top quarter by predicted mean is
/// suggested (score = its SD, share 0). The candidates are the grid's untrained points; on a fully measured grid they are the
/// <see cref="Frontier"/> (between and just beyond the measured values), so a suggestion always exists.
/// </summary>
public static class NextRun
{
    public static IReadOnlyList<RunSuggestion> Suggest(IReadOnlyList<(int Layers, int Dim)> grid, IReadOnlyList<PerformancePoint> measured,
        BootstrapOptions? options = null, int dimStep = 8)
    {
        var done = measured.Select(p => (p.Layers, p.Dim)).ToHashSet();
        var untrained = grid.Distinct().Where(g => !done.Contains(g)).ToList();
        var beyond = untrained.Count == 0;
        if (beyond) untrained = Frontier(done, dimStep);
        var full = PerformanceFit.Fit(measured);
        var replicates = Bootstrap.Refit(measured, full, options, out _);
        if (replicates.Count < 2) throw new LawFitException(FitFailure.NoConvergence, "fewer than two bootstrap refits succeeded: no uncertainty to reduce.");

        var candidates = grid.Concat(done).Concat(untrained).Distinct().ToList();
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
            return new RunSuggestion(c.Layers, c.Dim, mean, sd, share, share * sd) { BeyondGrid = beyond };
        }).ToList();
        if (stats.Any(s => s.OptimalShare > 0))
            return stats.Where(s => s.OptimalShare > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Layers).ThenBy(s => s.Dim).ToList();
        var quarter = Math.Max(1, stats.Count / 4);
        return stats.OrderByDescending(s => s.PredictedMean).Take(quarter)
            .Select(s => s with { Score = s.PredictedSd })
            .OrderByDescending(s => s.Score).ThenBy(s => s.Layers).ThenBy(s => s.Dim).ToList();
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
