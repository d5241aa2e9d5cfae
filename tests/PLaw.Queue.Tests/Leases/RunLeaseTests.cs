using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Leases;

/// <summary>Leases on runs: recovery re-queues only runs whose lease has expired; a worker that lost its lease writes nothing.</summary>
public abstract class RunLeaseTests
{
    protected abstract Task<TestRegistry> CreateRegistryAsync();

    private static readonly RunOptions Tiny = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, Threads = 1 };

    [Fact]
    public async Task RecoveryLeavesALiveLeaseAloneAndRequeuesAnExpiredOne()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        var run = await catalog.QueueAsync(dataset, Tiny);
        var holder = new RunHolder("worker-a", "host-a", TimeSpan.FromMinutes(1));
        var claimed = await catalog.ClaimNextAsync(holder);
        Assert.Equal(run.Id, claimed!.Id);
        Assert.Equal(("worker-a", "host-a"), (claimed.WorkerId, claimed.Host));
        Assert.Equal(claimed.HeartbeatUtc + holder.Lease, claimed.LeaseExpiresUtc);

        // Another process starting now (the dashboard restarting, `plaw worker`) finds the run running under a live lease.
        var other = registry.OpenServices().GetRequiredService<RunCatalog>();
        Assert.Empty(await other.RecoverAbandonedAsync());
        Assert.Equal(RunStatus.Running, (await catalog.FindAsync(run.Id))!.Status);
        Assert.True(await catalog.UpdateHeldAsync(run.Id, holder, r => r.StepsDone = 3));

        // Once the lease has ended without a heartbeat, the run goes back to the queue, and its old holder can no longer touch it.
        var expired = claimed.LeaseExpiresUtc!.Value + TimeSpan.FromSeconds(1);
        Assert.Equal([run.Id], await other.RecoverAbandonedAsync(expired));
        var requeued = (await catalog.FindAsync(run.Id))!;
        Assert.Equal((RunStatus.Queued, (DateTime?)null), (requeued.Status, requeued.LeaseExpiresUtc));
        Assert.False(await catalog.HeartbeatAsync(run.Id, holder));
        Assert.False(await catalog.UpdateHeldAsync(run.Id, holder, r => r.StepsDone = 99));
        Assert.Equal(3, (await catalog.FindAsync(run.Id))!.StepsDone);
        Assert.Contains(await catalog.EventsAsync(run.Id), e => e.Text.Contains("re-queued to resume from its checkpoint", StringComparison.Ordinal)
                                                                && e.Text.Contains("worker-a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHeartbeatMovesTheLeaseOnSoRecoveryAtTheOldExpiryLeavesTheRun()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        var run = await catalog.QueueAsync(dataset, Tiny);
        var holder = new RunHolder("worker-a", "host-a", TimeSpan.FromMinutes(1));
        var claimed = (await catalog.ClaimNextAsync(holder))!;
        await Wait.UntilAsync(() => Task.FromResult(DateTime.UtcNow > claimed.HeartbeatUtc), "the clock to move on");
        Assert.True(await catalog.HeartbeatAsync(run.Id, holder));
        var beaten = (await catalog.FindAsync(run.Id))!;
        Assert.True(beaten.LeaseExpiresUtc > claimed.LeaseExpiresUtc);
        Assert.True(beaten.Version > claimed.Version);
        Assert.Empty(await catalog.RecoverAbandonedAsync(claimed.LeaseExpiresUtc!.Value));
        // Released at a graceful shutdown: any worker re-queues it at once.
        Assert.True(await catalog.ReleaseAsync(run.Id, holder));
        Assert.Equal([run.Id], await catalog.RecoverAbandonedAsync());
    }

    [Fact]
    public async Task TwoRecoveriesAtOnceRequeueAnExpiredRunOnce()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        for (var i = 0; i < 20; i++) await catalog.QueueAsync(dataset, Tiny with { Seed = i });
        var dead = new RunHolder("dead", "gone", TimeSpan.FromSeconds(1));
        while (await catalog.ClaimNextAsync(dead) is not null) { }
        var later = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        var catalogs = Enumerable.Range(0, 4).Select(_ => registry.OpenServices().GetRequiredService<RunCatalog>()).ToList();
        var recovered = await Task.WhenAll(catalogs.Select(c => Task.Run(() => c.RecoverAbandonedAsync(later))));
        var all = recovered.SelectMany(r => r).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count());
        foreach (var run in await catalog.ListAsync())
            Assert.Single(await catalog.EventsAsync(run.Id), e => e.Text.Contains("re-queued", StringComparison.Ordinal));
    }
}

public sealed class SqliteRunLeaseTests : RunLeaseTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRunLeaseTests(PostgresServer server) : RunLeaseTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
