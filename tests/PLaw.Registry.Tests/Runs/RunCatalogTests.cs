using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Tests.Runs;

public sealed class RunCatalogTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    [Fact]
    public async Task QueuedRunKeepsItsOptionsAndParameterCounts()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Small with { Seed = 5 }, "Baseline, tiny");

        var stored = await registry.Get<RunCatalog>().FindAsync(run.Id);
        Assert.NotNull(stored);
        Assert.Equal(RunStatus.Queued, stored.Status);
        Assert.Equal(Small with { Seed = 5 }, RunJson.Options(stored) with { LayerDropout = null });
        Assert.Equal("baseline,tiny", stored.Tags);
        var items = (await registry.Get<PLaw.Registry.Datasets.DatasetCatalog>().FindAsync(dataset))!.Items;
        var expected = ParameterCount.Of(Small, items);
        Assert.Equal((expected.Embedding, expected.NonEmbedding), (stored.EmbeddingParameters, stored.NonEmbeddingParameters));
        Assert.Equal(Small.DisplayName.Replace("-s42", "-s5"), stored.Name);
    }

    [Fact]
    public async Task InvalidOptionsAreRefusedBeforeAnythingIsQueued()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var error = await Assert.ThrowsAsync<RunOptionsException>(() =>
            registry.Get<RunCatalog>().QueueAsync(dataset, Small with { Model = ModelFamily.Llama, Dim = 50, Heads = 2 }));
        Assert.Contains(error.Problems, p => p.Contains("even head size", StringComparison.Ordinal));
        await Assert.ThrowsAsync<RunOptionsException>(() => registry.Get<RunCatalog>().QueueAsync(999, Small));
        await using var db = registry.OpenContext();
        Assert.Equal(0, await db.Runs.CountAsync());
    }

    [Fact]
    public async Task StudyExpandsItsGridIntoRunsOrQueuesNothing()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var grid = new StudyGrid { Base = Small, Models = [ModelFamily.Sasrec, ModelFamily.Hstu], Layers = [1, 2], Dims = [8, 16], Seeds = [1] };
        var (study, runs) = await catalog.CreateStudyAsync("grid", dataset, grid);
        Assert.Equal(8, runs.Count);
        Assert.Equal(8, (await catalog.ListAsync(study.Id)).Count);
        Assert.Equal(8, runs.Select(r => r.Name).Distinct().Count());

        var bad = grid with { Base = Small with { Heads = 2 }, Models = [ModelFamily.Llama], Dims = [8, 18], Layers = [1] };   // 18 / 2 heads: odd head size
        var error = await Assert.ThrowsAsync<RunOptionsException>(() => catalog.CreateStudyAsync("bad", dataset, bad));
        Assert.Single(error.Problems);
        Assert.Contains("d18", error.Problems[0], StringComparison.Ordinal);
        Assert.Null((await catalog.StudiesAsync()).FirstOrDefault(s => s.Name == "bad"));
        Assert.Equal(8, (await catalog.ListAsync()).Count);
    }

    [Fact]
    public async Task ClaimTakesTheOldestQueuedRunOnce()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var first = await catalog.QueueAsync(dataset, Small);
        var second = await catalog.QueueAsync(dataset, Small with { Seed = 2 });

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => catalog.ClaimNextAsync($"host-{i}")));
        var taken = claims.Where(c => c is not null).Select(c => c!.Id).OrderBy(id => id).ToArray();
        Assert.Equal([first.Id, second.Id], taken);
        Assert.All(await catalog.ListAsync(), r => Assert.Equal(RunStatus.Running, r.Status));
        Assert.Null(await catalog.ClaimNextAsync("late"));
    }

    [Fact]
    public async Task CancelAndRequeueFollowTheRunsState()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var queued = await catalog.QueueAsync(dataset, Small);
        Assert.Equal(RunStatus.Cancelled, await catalog.CancelAsync(queued.Id));

        var running = await catalog.QueueAsync(dataset, Small with { Seed = 3 });
        await catalog.ClaimNextAsync("me");
        Assert.Equal(RunStatus.Running, await catalog.CancelAsync(running.Id));
        Assert.True(await catalog.IsCancelRequestedAsync(running.Id));

        await catalog.RequeueAsync(queued.Id);
        Assert.Equal(RunStatus.Queued, (await catalog.FindAsync(queued.Id))!.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.RequeueAsync(running.Id));
        Assert.Contains((await catalog.EventsAsync(queued.Id)).Select(e => e.Text), t => t == "re-queued");
    }

    [Fact]
    public async Task RunsLeftRunningByACrashGoBackToTheQueue()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var run = await catalog.QueueAsync(dataset, Small);
        var asked = await catalog.QueueAsync(dataset, Small with { Seed = 9 });
        await catalog.ClaimNextAsync("crashed");
        await catalog.ClaimNextAsync("crashed");
        await catalog.CancelAsync(asked.Id);

        // The crashed worker's leases have ended by then; live ones are left alone (RunLeaseTests).
        var recovered = await catalog.RecoverAbandonedAsync(DateTime.UtcNow + RunHolder.DefaultLease + TimeSpan.FromSeconds(1));
        Assert.Equal(2, recovered.Count);
        Assert.Equal(RunStatus.Queued, (await catalog.FindAsync(run.Id))!.Status);
        Assert.Equal(RunStatus.Cancelled, (await catalog.FindAsync(asked.Id))!.Status);
    }

    [Fact]
    public async Task FeedCarriesStatusChanges()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var seen = new List<RunStatus>();
        using (registry.Get<RunFeed>().Subscribe(m => { if (m is RunChanged c) lock (seen) seen.Add(c.Run.Status); }))
        {
            var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Small);
            await registry.Get<RunCatalog>().CancelAsync(run.Id);
        }
        Assert.Equal([RunStatus.Queued, RunStatus.Cancelled], seen);
    }

    [Fact]
    public void StudyStatusRollsUpItsRuns()
    {
        Assert.Equal(RunStatus.Running, StudyStatus.RollUp([RunStatus.Completed, RunStatus.Queued]));
        Assert.Equal(RunStatus.Queued, StudyStatus.RollUp([RunStatus.Queued, RunStatus.Queued]));
        Assert.Equal(RunStatus.Failed, StudyStatus.RollUp([RunStatus.Completed, RunStatus.Failed, RunStatus.Cancelled]));
        Assert.Equal(RunStatus.Completed, StudyStatus.RollUp([RunStatus.Completed, RunStatus.Cancelled]));
        Assert.Equal(RunStatus.Cancelled, StudyStatus.RollUp([RunStatus.Cancelled]));
    }
}
