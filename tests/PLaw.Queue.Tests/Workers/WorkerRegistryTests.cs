using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;
using PLaw.Registry.Workers;

namespace PLaw.Queue.Tests.Workers;

/// <summary>
/// The registry of workers on both providers: a worker registers live, its heartbeat renews its lease, it is lost once the lease
/// passes without one and live again at its next heartbeat, and stopped for good when it stops; the runs it holds are listed
/// with it; workers gone longer than the retention are forgotten at the next registration.
/// </summary>
public abstract class WorkerRegistryTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected abstract Task<TestRegistry> CreateRegistryAsync();

    private static RunHolder Holder(string name) => new($"{name}/1/abcd", name, Lease);

    /// <summary>This process's record of <paramref name="holder"/>, on the holder's (made-up) host.</summary>
    private static WorkerRecord Record(RunHolder holder, params string[] devices)
    {
        var record = WorkerRecord.ForThisProcess(holder, devices, Math.Max(devices.Length, 1));
        record.Host = holder.Host;
        return record;
    }

    /// <summary>Sets a worker's times as a worker that stopped heartbeating (or stopped) that long ago would have left them.</summary>
    private static async Task AgeAsync(TestRegistry registry, string id, TimeSpan ago, bool stopped = false)
    {
        var then = DateTime.UtcNow - ago;
        await using var db = registry.OpenContext();
        await db.Workers.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.HeartbeatUtc, then)
            .SetProperty(w => w.LeaseExpiresUtc, then + TimeSpan.FromSeconds(30)).SetProperty(w => w.StoppedUtc, stopped ? then : null));
    }

    [Fact]
    public async Task AWorkerIsLiveWhileItHeartbeatsLostAfterItsLeaseAndStoppedWhenItStops()
    {
        await using var registry = await CreateRegistryAsync();
        var workers = registry.Get<WorkerRegistry>();
        var holder = Holder("gpu-box");
        var before = DateTime.UtcNow;
        await workers.RegisterAsync(Record(holder, "cuda:0", "cuda:1"), Lease);

        var live = Assert.Single(await workers.ListAsync());
        Assert.Equal((holder.WorkerId, WorkerState.Live, "cuda:0,cuda:1", 2), (live.Id, live.State, live.Devices, live.Slots));
        Assert.Equal(("gpu-box", Environment.ProcessId), (live.Host, live.ProcessId));
        Assert.Contains(TrainingBackends.Native, live.Backends.Split(','));
        Assert.InRange(live.StartedUtc, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));    // UTC, as written
        Assert.Equal(live.HeartbeatUtc + Lease, live.LeaseExpiresUtc, TimeSpan.FromMilliseconds(1));
        Assert.Null(live.StoppedUtc);

        // No heartbeat for longer than its lease: lost. Its next heartbeat makes it live again, with a lease from now.
        await AgeAsync(registry, holder.WorkerId, TimeSpan.FromMinutes(2));
        Assert.Equal(WorkerState.Lost, Assert.Single(await workers.ListAsync()).State);
        var beat = DateTime.UtcNow;
        Assert.True(await workers.HeartbeatAsync(holder.WorkerId, Lease));
        var renewed = Assert.Single(await workers.ListAsync());
        Assert.Equal(WorkerState.Live, renewed.State);
        Assert.True(renewed.HeartbeatUtc >= beat.AddMilliseconds(-1), $"heartbeat {renewed.HeartbeatUtc:o} is not the renewal at {beat:o}");

        Assert.True(await workers.StopAsync(holder.WorkerId));
        var stopped = Assert.Single(await workers.ListAsync());
        Assert.Equal(WorkerState.Stopped, stopped.State);
        Assert.NotNull(stopped.StoppedUtc);
        // A stopped worker stays stopped: a late heartbeat or a second stop changes nothing.
        Assert.False(await workers.HeartbeatAsync(holder.WorkerId, Lease));
        Assert.False(await workers.StopAsync(holder.WorkerId));
        Assert.False(await workers.HeartbeatAsync("nobody/0/0", Lease));
        Assert.Equal(WorkerState.Stopped, Assert.Single(await workers.ListAsync()).State);
    }

    [Fact]
    public async Task EachWorkerIsListedWithTheRunsItHoldsNowLiveFirst()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        var workers = registry.Get<WorkerRegistry>();
        var (a, b, gone, done) = (Holder("host-a"), Holder("host-b"), Holder("host-c"), Holder("host-d"));
        foreach (var h in new[] { a, b, gone, done }) await workers.RegisterAsync(Record(h), Lease);
        await AgeAsync(registry, gone.WorkerId, TimeSpan.FromMinutes(10));
        await workers.StopAsync(done.WorkerId);

        var runs = new List<RunRecord>();
        for (var i = 0; i < 4; i++) runs.Add(await catalog.QueueAsync(dataset, Small with { Seed = i }));
        Assert.Equal(runs[0].Id, (await catalog.ClaimNextAsync(a))!.Id);
        Assert.Equal(runs[1].Id, (await catalog.ClaimNextAsync(b))!.Id);
        Assert.Equal(runs[2].Id, (await catalog.ClaimNextAsync(a))!.Id);
        Assert.Equal(runs[3].Id, (await catalog.ClaimNextAsync(b))!.Id);
        // A run that finished is no longer the worker's current run.
        Assert.True(await catalog.UpdateHeldAsync(runs[3].Id, b, r => { r.Status = RunStatus.Completed; r.LeaseExpiresUtc = null; }));

        var listed = await workers.ListAsync();
        Assert.Equal([(a.WorkerId, WorkerState.Live), (b.WorkerId, WorkerState.Live), (gone.WorkerId, WorkerState.Lost), (done.WorkerId, WorkerState.Stopped)],
            listed.Select(w => (w.Id, w.State)));
        Assert.Equal([runs[0].Id, runs[2].Id], listed[0].Runs.Select(r => r.Id));
        Assert.Equal([runs[1].Id], listed[1].Runs.Select(r => r.Id));
        Assert.Empty(listed[2].Runs);
        Assert.Equal(runs[0].Name, listed[0].Runs[0].Name);
    }

    [Fact]
    public async Task WorkersGoneLongerThanTheRetentionAreForgottenWhenAWorkerRegisters()
    {
        await using var registry = await CreateRegistryAsync();
        var workers = registry.Get<WorkerRegistry>();
        var (oldStopped, oldLost, recentStopped, recentLost) = (Holder("old-stopped"), Holder("old-lost"), Holder("recent-stopped"), Holder("recent-lost"));
        foreach (var h in new[] { oldStopped, oldLost, recentStopped, recentLost }) await workers.RegisterAsync(Record(h), Lease);
        var past = WorkerRegistry.Retention + TimeSpan.FromHours(1);
        var within = WorkerRegistry.Retention - TimeSpan.FromHours(1);
        await AgeAsync(registry, oldStopped.WorkerId, past, stopped: true);
        await AgeAsync(registry, oldLost.WorkerId, past);
        await AgeAsync(registry, recentStopped.WorkerId, within, stopped: true);
        await AgeAsync(registry, recentLost.WorkerId, within);

        var fresh = Holder("fresh");
        await workers.RegisterAsync(Record(fresh), Lease);
        Assert.Equal(new[] { fresh.WorkerId, recentLost.WorkerId, recentStopped.WorkerId }.Order(StringComparer.Ordinal),
            (await workers.ListAsync()).Select(w => w.Id).Order(StringComparer.Ordinal));
    }
}

public sealed class SqliteWorkerRegistryTests : WorkerRegistryTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerRegistryTests(PostgresServer server) : WorkerRegistryTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
