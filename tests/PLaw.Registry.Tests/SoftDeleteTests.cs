using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Registry.Datasets;
using PLaw.Registry.Demo;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Registry.Tests.Runs;

namespace PLaw.Registry.Tests;

/// <summary>
/// Soft deletes (#11 probe item 1): a deleted dataset and its studies, runs and metrics drop out of every list, export and
/// the queue, and come back whole on restore.
/// </summary>
public sealed class SoftDeleteTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    private sealed record Scene(int Deleted, int Kept, StudyRecord Study, RunRecord LoneRun, RunRecord KeptRun);

    /// <summary>Two datasets, each with finished runs and metric points; the first also with a study.</summary>
    private static async Task<Scene> SceneAsync(TemporaryRegistry registry)
    {
        var catalog = registry.Get<RunCatalog>();
        var deleted = await RunRegistryData.StoreSmallDatasetAsync(registry, "going");
        var kept = await RunRegistryData.StoreSmallDatasetAsync(registry, "staying");
        var (study, studyRuns) = await catalog.CreateStudyAsync("going-study", deleted,
            new StudyGrid { Base = Small, Layers = [1, 2], Dims = [8], Seeds = [1] });
        var lone = await catalog.QueueAsync(deleted, Small with { Seed = 3 });
        var keptRun = await catalog.QueueAsync(kept, Small with { Seed = 4 });
        foreach (var run in studyRuns.Append(lone).Append(keptRun))
        {
            await catalog.UpdateAsync(run.Id, r => { r.Status = RunStatus.Completed; r.TestNdcg10 = 0.1; });
            await registry.Get<MetricStore>().AppendAsync(run.Id, [new MetricPoint(MetricSplits.Train, "loss", 1, 1, 0.5, 0)]);
        }
        return new Scene(deleted, kept, study, lone, keptRun);
    }

    private static async Task<int> StreamedPointsAsync(TemporaryRegistry registry, IReadOnlyList<int> runIds)
    {
        var n = 0;
        await foreach (var _ in registry.Get<MetricStore>().StreamAsync(runIds)) n++;
        return n;
    }

    [Fact]
    public async Task ADeletedDatasetsRunsStudiesAndMetricsAreInNoListOrExport()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var scene = await SceneAsync(registry);
        var datasets = registry.Get<DatasetCatalog>();
        var runs = registry.Get<RunCatalog>();
        Assert.Equal(4, (await runs.ListAsync()).Count);

        Assert.True(await datasets.DeleteAsync(scene.Deleted, "ada"));

        Assert.Equal(["staying"], (await datasets.ListAsync()).Select(d => d.Name));
        Assert.Null(await datasets.FindAsync(scene.Deleted));
        Assert.Null(await datasets.FindByNameAsync("going"));
        var gone = Assert.Single(await datasets.ListDeletedAsync());
        Assert.Equal(("going", "ada"), (gone.Name, gone.DeletedBy));
        Assert.NotNull(gone.DeletedUtc);

        Assert.Equal([scene.KeptRun.Id], (await runs.ListAsync()).Select(r => r.Id));
        Assert.Empty(await runs.ListAsync(scene.Study.Id));
        var page = await runs.QueryAsync(new RunQuery { PageSize = 50 });
        Assert.Equal((1, 1), (page.Total, page.Matching));
        Assert.Equal([scene.Kept.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            (await runs.GroupsAsync(new RunQuery(), RunGrouping.Dataset)).Select(g => g.Key));
        Assert.Null(await runs.FindAsync(scene.LoneRun.Id));
        Assert.Empty(await runs.StudiesAsync());
        Assert.Empty(await runs.StudySummariesAsync());
        Assert.Null(await runs.FindStudyAsync("going-study"));
        Assert.Null(await runs.FindStudyAsync(scene.Study.Id));

        // Exports by explicit run id (GET /api/runs/{id}/metrics.csv, plaw export metrics --run) and the run page's charts.
        Assert.Equal(0, await StreamedPointsAsync(registry, [scene.LoneRun.Id]));
        Assert.Equal(1, await StreamedPointsAsync(registry, [scene.LoneRun.Id, scene.KeptRun.Id]));
        Assert.Empty(await registry.Get<MetricStore>().SeriesAsync(scene.LoneRun.Id, MetricSplits.Train, "loss"));
        Assert.Empty(await registry.Get<MetricStore>().SeriesNamesAsync(scene.LoneRun.Id));

        // Nothing can be queued, re-queued or studied on it.
        await Assert.ThrowsAsync<RunOptionsException>(() => runs.QueueAsync(scene.Deleted, Small));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => runs.RequeueAsync(scene.LoneRun.Id));
    }

    [Fact]
    public async Task RestoringBringsTheDatasetBackWithEverything()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var scene = await SceneAsync(registry);
        var datasets = registry.Get<DatasetCatalog>();
        var runs = registry.Get<RunCatalog>();
        var before = (await runs.ListAsync()).Select(r => r.Id).ToList();
        Assert.True(await datasets.DeleteAsync(scene.Deleted, "ada"));

        Assert.True(await datasets.RestoreAsync(scene.Deleted));
        Assert.False(await datasets.RestoreAsync(scene.Deleted));
        Assert.False(await datasets.RestoreAsync(scene.Kept));
        Assert.Empty(await datasets.ListDeletedAsync());
        var back = (await datasets.FindAsync(scene.Deleted))!;
        Assert.Equal((null, null), (back.DeletedUtc, back.DeletedBy));
        Assert.Equal(before, (await runs.ListAsync()).Select(r => r.Id));
        Assert.Equal(2, (await runs.ListAsync(scene.Study.Id)).Count);
        Assert.Equal(3, await StreamedPointsAsync(registry, [.. before.Where(id => id != scene.KeptRun.Id)]));
        Assert.Equal(60, (await datasets.LoadSequencesAsync(scene.Deleted)).UserCount);
    }

    [Fact]
    public async Task TheQueueNeverHandsOutARunOfADeletedDataset()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var scene = await SceneAsync(registry);
        var runs = registry.Get<RunCatalog>();
        Assert.True(await registry.Get<DatasetCatalog>().DeleteAsync(scene.Deleted, "ada"));
        // A run put back to "queued" behind the catalog's back (an older CLI, a hand-edited file) still stays untrained.
        await using (var db = registry.OpenContext())
            await db.Runs.IgnoreQueryFilters().Where(r => r.Id == scene.LoneRun.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, RunStatus.Queued));
        Assert.Null(await runs.ClaimNextAsync("test-host"));

        await runs.UpdateAsync(scene.KeptRun.Id, r => r.Status = RunStatus.Failed);
        await runs.RequeueAsync(scene.KeptRun.Id);
        Assert.Equal(scene.KeptRun.Id, (await runs.ClaimNextAsync("test-host"))!.Id);
    }

    [Fact]
    public async Task ADeletedDatasetsNamesStayTakenUntilItIsPurged()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var scene = await SceneAsync(registry);
        var datasets = registry.Get<DatasetCatalog>();
        Assert.True(await datasets.DeleteAsync(scene.Deleted, "ada"));

        var dataset = await Assert.ThrowsAsync<InvalidOperationException>(() => RunRegistryData.StoreSmallDatasetAsync(registry, "going"));
        Assert.Contains("deleted dataset named 'going'", dataset.Message, StringComparison.Ordinal);
        var study = await Assert.ThrowsAsync<RunOptionsException>(() => registry.Get<RunCatalog>().CreateStudyAsync("going-study", scene.Kept,
            new StudyGrid { Base = Small, Layers = [1], Dims = [8], Seeds = [1] }));
        Assert.Contains("deleted dataset", study.Problems[0], StringComparison.Ordinal);

        Assert.True(await datasets.PurgeAsync(scene.Deleted));
        await RunRegistryData.StoreSmallDatasetAsync(registry, "going");
    }

    [Fact]
    public async Task TheDemoIsNotSeededOverADeletedDatasetAndIsRestoredForTheDemoStudy()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var demo = registry.Get<DemoDataset>();
        var datasets = registry.Get<DatasetCatalog>();
        var demoId = (await demo.SeedIfEmptyAsync())!.Value;
        Assert.True(await datasets.DeleteAsync(demoId, "ada"));

        Assert.Null(await demo.SeedIfEmptyAsync());
        Assert.Empty(await datasets.ListAsync());
        Assert.Equal(demoId, await demo.EnsureAsync());
        Assert.Equal([demoId], (await datasets.ListAsync()).Select(d => d.Id));
    }
}
