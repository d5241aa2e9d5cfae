using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Leases;

/// <summary>
/// A cancel racing a claim (issue #15's audit): the cancel reads "queued", a worker claims the run, and the cancel's write
/// must not then mark the training run cancelled. Exactly one of them wins: a cancelled run was never claimed; a claimed
/// run stays running with its cancel request for the worker to honour.
/// </summary>
public abstract class CancelClaimRaceTests
{
    protected abstract Task<TestRegistry> CreateRegistryAsync();

    [Fact]
    public async Task ACancelRacingAClaimNeverLeavesAClaimedRunMarkedCancelled()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        // The dashboard (cancel) and a worker (claim) on the same registry, each with its own services and connections.
        var dashboard = registry.OpenServices().GetRequiredService<RunCatalog>();
        var worker = registry.OpenServices().GetRequiredService<RunCatalog>();
        var holder = new RunHolder("worker", "host", TimeSpan.FromMinutes(5));
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1 };
        int claimedFirst = 0, cancelledFirst = 0;
        for (var i = 0; i < 150; i++)
        {
            var run = await dashboard.QueueAsync(dataset, options with { Seed = i });
            using var go = new ManualResetEventSlim();
            var cancel = Task.Run(async () => { go.Wait(); return await dashboard.CancelAsync(run.Id); });
            var claim = Task.Run(async () => { go.Wait(); return await worker.ClaimNextAsync(holder); });
            go.Set();
            var (cancelSaw, claimed) = (await cancel, await claim);
            var stored = (await dashboard.FindAsync(run.Id))!;
            if (claimed is not null)
            {
                Assert.Equal(run.Id, claimed.Id);
                claimedFirst++;
                // The worker holds it: it stays running (cancel asks the worker), never "cancelled" while it trains.
                Assert.Equal(RunStatus.Running, stored.Status);
                Assert.Equal(RunStatus.Running, cancelSaw);
                Assert.True(stored.CancelRequested, $"run {run.Id}: claimed, but the cancel request was lost");
                Assert.True(await worker.UpdateHeldAsync(run.Id, holder, r => { r.Status = RunStatus.Cancelled; r.LeaseExpiresUtc = null; }));
            }
            else
            {
                cancelledFirst++;
                Assert.Equal(RunStatus.Cancelled, stored.Status);
                Assert.Equal(RunStatus.Cancelled, cancelSaw);
                Assert.Equal(0, stored.Attempts);
            }
        }
        Assert.Equal(150, claimedFirst + cancelledFirst);
    }
}

public sealed class SqliteCancelClaimRaceTests : CancelClaimRaceTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCancelClaimRaceTests(PostgresServer server) : CancelClaimRaceTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
