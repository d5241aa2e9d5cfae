using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Queue.Tests.Registry;

/// <summary>
/// The registry and its queue behave the same on both providers: each test runs on a SQLite file and on a fresh database of a
/// real PostgreSQL server (the subclasses below).
/// </summary>
public abstract class RegistryProviderTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    protected abstract Task<TestRegistry> CreateRegistryAsync();

    [Fact]
    public async Task TheProvidersMigrationsDescribeTheCurrentModel()
    {
        await using var registry = await CreateRegistryAsync();
        await using var db = registry.OpenContext();
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model changed without a {registry.Provider} migration (migrations/ for SQLite, migrations/Postgres/ for PostgreSQL):\n" +
            string.Join("\n", PLaw.Registry.Storage.ModelDrift.Of(db)));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // Migrating again (a second process starting) finds nothing to do.
        await RegistryMigrator.MigrateAsync(registry.Get<IDbContextFactory<RegistryDbContext>>());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task ADatasetsSequencesComeBackAsStored()
    {
        await using var registry = await CreateRegistryAsync();
        var demo = PLaw.Data.Synthetic.MarkovSequenceGenerator.Generate(new(Users: 30, Items: 25, MinLength: 3, MaxLength: 12, Seed: 3));
        var stored = await registry.Get<DatasetCatalog>().StoreAsync("seqs", "synthetic", "synthetic", "{}", "{}", demo.Sequences);
        var loaded = await registry.Get<DatasetCatalog>().LoadSequencesAsync(stored.Id);
        Assert.Equal(demo.Sequences.UserCount, loaded.UserCount);
        Assert.Equal(demo.Sequences.ItemCount, loaded.ItemCount);
        for (var u = 0; u < loaded.UserCount; u++) Assert.Equal(demo.Sequences.Sequence(u).ToArray(), loaded.Sequence(u).ToArray());
        Assert.Equal(stored.Id, (await registry.Get<DatasetCatalog>().FindByNameAsync("seqs"))!.Id);
    }

    [Fact]
    public async Task ClaimsTakeTheOldestQueuedRunsOnceAndSkipDeletedDatasets()
    {
        await using var registry = await CreateRegistryAsync();
        var kept = await registry.StoreSmallDatasetAsync("kept");
        var deleted = await registry.StoreSmallDatasetAsync("deleted");
        var catalog = registry.Get<RunCatalog>();
        var hidden = await catalog.QueueAsync(deleted, Small);
        await catalog.CancelAsync(hidden.Id);
        var ids = new List<int>();
        for (var i = 0; i < 40; i++) ids.Add((await catalog.QueueAsync(kept, Small with { Seed = i })).Id);
        Assert.True(await registry.Get<DatasetCatalog>().DeleteAsync(deleted));
        // Queued again behind the deletion's back (as an older release could leave it): still no claim may take it.
        await using (var db0 = registry.OpenContext())
            await db0.Runs.IgnoreQueryFilters().Where(r => r.Id == hidden.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Queued));

        // Eight claimers, each with its own services and connections, claim at once until the queue is empty.
        var claimers = Enumerable.Range(0, 8).Select(i => (Catalog: registry.OpenServices().GetRequiredService<RunCatalog>(),
            Holder: new RunHolder($"w{i}", $"h{i}", TimeSpan.FromMinutes(1)))).ToList();
        var taken = await Task.WhenAll(claimers.Select(c => Task.Run(async () =>
        {
            var mine = new List<int>();
            while (await c.Catalog.ClaimNextAsync(c.Holder) is { } run) mine.Add(run.Id);
            return mine;
        })));
        var all = taken.SelectMany(t => t).Order().ToList();
        Assert.Equal(ids, all);
        Assert.All(taken, t => Assert.Equal(t.Order(), t));    // each claimer's runs in queue order
        await using var db = registry.OpenContext();
        Assert.Equal(RunStatus.Queued, (await db.Runs.IgnoreQueryFilters().SingleAsync(r => r.Id == hidden.Id)).Status);
        Assert.All(await db.Runs.Where(r => ids.Contains(r.Id)).ToListAsync(), r => Assert.Equal((RunStatus.Running, 1), (r.Status, r.Attempts)));
    }

    [Fact]
    public async Task CancelRequeueAndStudiesFollowTheRunsState()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
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
        Assert.Equal(["queued: " + queued.Name, "cancelled before it started", "re-queued"],
            (await catalog.EventsAsync(queued.Id)).Select(e => e.Text));

        var grid = new StudyGrid { Base = Small, Models = [ModelFamily.Sasrec, ModelFamily.Hstu], Layers = [1], Dims = [8, 16], Seeds = [1] };
        var (study, runs) = await catalog.CreateStudyAsync("grid", dataset, grid);
        Assert.Equal(4, runs.Count);
        Assert.Equal(runs.Select(r => r.Id).OrderDescending(), (await catalog.ListAsync(study.Id)).Select(r => r.Id));
        await catalog.UpdateAsync(runs[1].Id, r => { r.Status = RunStatus.Completed; r.TestNdcg10 = 0.5; r.FinishedUtc = DateTime.UtcNow; });
        await catalog.UpdateAsync(runs[2].Id, r => { r.Status = RunStatus.Completed; r.TestNdcg10 = 0.7; r.FinishedUtc = DateTime.UtcNow; });
        var page = await catalog.QueryAsync(new RunQuery { Sort = RunSort.Ndcg10, Descending = true, StudyId = study.Id, PageSize = 2 });
        Assert.Equal(4, page.Matching);
        Assert.Equal([runs[2].Id, runs[1].Id], page.Rows.Select(r => r.Run.Id));
        var stored = (await catalog.FindAsync(runs[1].Id))!;
        Assert.True(DateTime.UtcNow - stored.FinishedUtc!.Value < TimeSpan.FromHours(1), $"FinishedUtc {stored.FinishedUtc:o} is not the UTC time written");
    }

    [Fact]
    public async Task MetricPointsAreUpsertedAndReadBackWholeDownsampledAndStreamed()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Small);
        var store = registry.Get<MetricStore>();
        var loss = Enumerable.Range(1, 1000).Select(s => new MetricPoint("train", "loss", s, (s - 1) / 100, 1.0 / s, 1_000 + s)).ToList();
        await store.AppendAsync(run.Id, loss);
        // A resumed run re-does steps 991–1000: they overwrite, never duplicate; a diverged value is stored as not-a-number.
        await store.AppendAsync(run.Id, loss.Skip(990).Select(p => p with { Value = p.Step == 1000 ? double.NaN : 2.0 }).ToList());
        await store.AppendAsync(run.Id, [new MetricPoint("test", "NDCG@10", 1000, 9, 0.25, 5_000)]);

        var whole = await store.SeriesAsync(run.Id, "train", "loss", maxPoints: 5000);
        Assert.Equal(1000, whole.Count);
        Assert.Equal(Enumerable.Range(1, 1000).Select(s => (long)s), whole.Select(p => p.Step));
        Assert.Equal(1.0 / 990, whole[989].Value);
        Assert.Equal(2.0, whole[990].Value);
        Assert.True(double.IsNaN(whole[999].Value));

        var coarse = await store.SeriesAsync(run.Id, "train", "loss", maxPoints: 100);
        Assert.Equal(100, coarse.Count);
        Assert.Equal(10, coarse[0].Step);                                   // the bucket's last step
        Assert.Equal(Enumerable.Range(1, 10).Average(s => 1.0 / s), coarse[0].Value, 12);
        Assert.Equal([("test", "NDCG@10"), ("train", "loss")], await store.SeriesNamesAsync(run.Id));

        var streamed = new List<MetricPoint>();
        await foreach (var (_, point) in store.StreamAsync([run.Id])) streamed.Add(point);
        Assert.Equal(1001, streamed.Count);
        Assert.Equal(("test", 1000L), (streamed[0].Split, streamed[0].Step));
    }
}

public sealed class SqliteRegistryProviderTests : RegistryProviderTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRegistryProviderTests(PostgresServer server) : RegistryProviderTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
