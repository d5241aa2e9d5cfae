using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;
using PLaw.Laws.Seeds;

namespace PLaw.Web.Laws;

/// <summary>
/// The bootstrap of the optimum (over seeds within configurations when they have several), the ranking law's parameter intervals
/// from the same refits, and the library's next-run suggestions (on a fully measured grid, just beyond it), or why there are none.
/// </summary>
public sealed record BootstrapReport(OptimumUncertainty Optimum, SeedIntervals Intervals, IReadOnlyList<RunSuggestion>? NextRuns, string? NextRunNote);

/// <summary>
/// Runs the library's bootstrap off the render thread with progress and cancellation. <see cref="Bootstrap.Optimum"/> reports
/// neither, so the resamples are drawn in blocks of <see cref="Block"/> with <see cref="Bootstrap.Refit"/> (block k seeded
/// 20251123 + k, so a shared link reproduces the same intervals) and summarised once with <see cref="Bootstrap.Summarise"/>.
/// The next run is costed by <c>cost</c> (training FLOPs per token of the family at the runs' context length).
/// </summary>
public static class OptimumBootstrap
{
    public const int Block = 10;
    public const int Seed = 20251123;
    /// <summary>Enough for stable 2.5 % / 97.5 % percentiles; about 4 s on two cores for a 30-run grid.</summary>
    public const int MaxResamples = 10_000;

    public static Task<BootstrapReport> RunAsync(IReadOnlyList<PerformancePoint> points, PerformanceFit full, SearchSpace space,
        OptimumConstraint constraint, IReadOnlyList<(int Layers, int Dim)> grid, int resamples, IProgress<double>? progress,
        CancellationToken ct, int dimStep = OptimaQuery.DefaultDimStep, Func<int, int, double>? cost = null) => Task.Run(() =>
    {
        // Blocks run on every core; each keeps its own seed and its place, so the replicates do not depend on the core count.
        var blocks = (resamples + Block - 1) / Block;
        var refits = new (IReadOnlyList<PerformanceLawParameters> Laws, int Failed)[blocks];
        var done = 0;
        var gate = new Lock();
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, block =>
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(Block, resamples - block * Block);
            refits[block] = (Bootstrap.Refit(points, full, new BootstrapOptions(count, Seed + block), out var f), f);
            lock (gate) progress?.Report((double)(done += count) / resamples); // under the lock, so the bar never steps back
        });
        var replicates = refits.SelectMany(r => r.Laws).ToList();
        var failed = refits.Sum(r => r.Failed);
        var optimum = Bootstrap.Summarise(full.Parameters, replicates, space, constraint, failed);
        var intervals = SeedBootstrap.Intervals(full.Result, replicates.Select(r => r.ToArray()).ToList(), failed, Bootstrap.HasSeeds(points));

        ct.ThrowIfCancellationRequested();
        try
        {
            // The same refits rank the next run: they are the seed-aware fit's bootstrap NextRun would otherwise draw again.
            var seeds = SeedData.Of(PerformanceFit.ToData(points));
            return new BootstrapReport(optimum, intervals, NextRun.Suggest(grid, points, seeds, replicates, dimStep, cost), null);
        }
        catch (Exception e) when (e is LawFitException or ArgumentException)
        {
            return new BootstrapReport(optimum, intervals, null, e.Message);
        }
    }, ct);
}
