using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Tests.Runs;

namespace PLaw.Registry.Tests;

/// <summary>Deleting a dataset (issue #11 probe item 1): refused while a run on it is active; names and removes what goes with it.</summary>
public sealed class DatasetDeletionTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    private static async Task<RunRecord> RunWithCheckpointAsync(TemporaryRegistry registry, int dataset, RunStatus status, int points)
    {
        var catalog = registry.Get<RunCatalog>();
        var run = await catalog.QueueAsync(dataset, Small with { Seed = Random.Shared.Next(1, 1000) });
        var folder = Path.Combine(registry.Directory, "runs", $"run-{run.Id}");
        Directory.CreateDirectory(folder);
        var checkpoint = Path.Combine(folder, "checkpoint.bin");
        await File.WriteAllBytesAsync(checkpoint, [1, 2, 3]);
        await catalog.UpdateAsync(run.Id, r => { r.Status = status; r.CheckpointPath = checkpoint; });
        await registry.Get<MetricStore>().AppendAsync(run.Id,
            [.. Enumerable.Range(1, points).Select(s => new MetricPoint(MetricSplits.Train, "loss", s, 1, 1.0 / s, 0))]);
        return run;
    }

    [Theory]
    [InlineData(RunStatus.Queued)]
    [InlineData(RunStatus.Running)]
    public async Task ADatasetWithAnActiveRunIsNotDeleted(RunStatus active)
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var done = await RunWithCheckpointAsync(registry, dataset, RunStatus.Completed, 3);
        var training = await RunWithCheckpointAsync(registry, dataset, active, 2);

        var deletion = await registry.Get<DatasetCatalog>().DescribeDeletionAsync(dataset);
        Assert.Equal(1, deletion!.ActiveRuns);
        var error = await Assert.ThrowsAsync<DatasetInUseException>(() => registry.Get<DatasetCatalog>().DeleteAsync(dataset));
        Assert.Contains("1 queued or running run", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DatasetInUseException>(() => registry.Get<DatasetCatalog>().PurgeAsync(dataset));
        Assert.Single(await registry.Get<DatasetCatalog>().ListAsync());

        await using var db = registry.OpenContext();
        Assert.Equal(1, await db.Datasets.CountAsync(d => d.Id == dataset));
        Assert.Equal(2, await db.Runs.CountAsync(r => r.DatasetId == dataset));
        Assert.Equal(5, await db.MetricPoints.CountAsync());
        Assert.True(File.Exists(Path.Combine(registry.Directory, "runs", $"run-{done.Id}", "checkpoint.bin")));
        Assert.True(Directory.Exists(Path.Combine(registry.Directory, "runs", $"run-{training.Id}")));
    }

    [Fact]
    public async Task PurgingNamesTheRunsMetricsAndCheckpointsThenRemovesThemAll()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var other = await RunRegistryData.StoreSmallDatasetAsync(registry, "other");
        var first = await RunWithCheckpointAsync(registry, dataset, RunStatus.Completed, 3);
        var second = await RunWithCheckpointAsync(registry, dataset, RunStatus.Failed, 4);
        var kept = await RunWithCheckpointAsync(registry, other, RunStatus.Completed, 1);

        var deletion = (await registry.Get<DatasetCatalog>().DescribeDeletionAsync(dataset))!;
        Assert.Equal((2, 0, 7L, 2), (deletion.Runs, deletion.ActiveRuns, deletion.MetricPoints, deletion.Checkpoints));
        Assert.Equal("Also deleted: 2 runs trained on it with their 7 metric points, 2 checkpoint folders.", deletion.Describe());

        Assert.True(await registry.Get<DatasetCatalog>().DeleteAsync(dataset));
        foreach (var run in new[] { first, second })
            Assert.True(Directory.Exists(Path.Combine(registry.Directory, "runs", $"run-{run.Id}")), $"a soft delete removed run-{run.Id}'s checkpoint");
        Assert.Equal((2, 7L, 2), await registry.Get<DatasetCatalog>().DescribePurgeAsync(dataset) is { } purge
            ? (purge.Runs, purge.MetricPoints, purge.Checkpoints) : default);

        Assert.True(await registry.Get<DatasetCatalog>().PurgeAsync(dataset));
        foreach (var run in new[] { first, second })
            Assert.False(Directory.Exists(Path.Combine(registry.Directory, "runs", $"run-{run.Id}")), $"run-{run.Id} is left behind");
        Assert.True(Directory.Exists(Path.Combine(registry.Directory, "runs", $"run-{kept.Id}")), "another dataset's run lost its checkpoint");
        await using var db = registry.OpenContext();
        Assert.Equal(0, await db.Runs.IgnoreQueryFilters().CountAsync(r => r.DatasetId == dataset));
        Assert.Equal(1, await db.MetricPoints.CountAsync());
        Assert.Null(await registry.Get<DatasetCatalog>().DescribeDeletionAsync(dataset));
        Assert.Null(await registry.Get<DatasetCatalog>().DescribePurgeAsync(dataset));
    }

    [Fact]
    public async Task ADatasetNoRunUsesSaysSo()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        Assert.Equal("No runs use it.", (await registry.Get<DatasetCatalog>().DescribeDeletionAsync(dataset))!.Describe());
        Assert.True(await registry.Get<DatasetCatalog>().DeleteAsync(dataset));
        Assert.False(await registry.Get<DatasetCatalog>().DeleteAsync(dataset));
    }
}
