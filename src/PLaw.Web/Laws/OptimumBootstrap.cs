using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

namespace PLaw.Web.Laws;

/// <summary>The bootstrap of the optimum and the library's next-run suggestions (on a fully measured grid, just beyond it), or why there are none.</summary>
public sealed record BootstrapReport(OptimumUncertainty Optimum, IReadOnlyList<RunSuggestion>? NextRuns, string? NextRunNote);

/// <summary>
/// Runs the library's bootstrap off the render thread with progress and cancellation. <see cref="Bootstrap.Optimum"/> reports
/// neither, so the resamples are drawn in blocks of <see cref="Block"/> with <see cref="Bootstrap.Refit"/> (block k seeded
/// 20251123 + k, so a shared link reproduces the same intervals) and summarised once with <see cref="Bootstrap.Summarise"/>.
/// </summary>
public static class OptimumBootstrap
{
    public const int Block = 10;
    public const int Seed = 20251123;

    public static Task<BootstrapReport> RunAsync(IReadOnlyList<PerformancePoint> points, PerformanceFit full, SearchSpace space,
        OptimumConstraint constraint, IReadOnlyList<(int Layers, int Dim)> grid, int resamples, IProgress<double>? progress,
        CancellationToken ct, int dimStep = OptimaQuery.DefaultDimStep) => Task.Run(() =>
    {
        var replicates = new List<PerformanceLawParameters>(resamples);
        var failed = 0;
        for (var block = 0; block * Block < resamples; block++)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(Block, resamples - block * Block);
            replicates.AddRange(Bootstrap.Refit(points, full, new BootstrapOptions(count, Seed + block), out var f));
            failed += f;
            progress?.Report((double)(block * Block + count) / resamples);
        }
        var optimum = Bootstrap.Summarise(full.Parameters, replicates, space, constraint, failed);

        ct.ThrowIfCancellationRequested();
        try
        {
            return new BootstrapReport(optimum, NextRun.Suggest(grid, points, new BootstrapOptions(resamples, Seed), dimStep), null);
        }
        catch (Exception e) when (e is LawFitException or ArgumentException)
        {
            return new BootstrapReport(optimum, null, e.Message);
        }
    }, ct);
}
