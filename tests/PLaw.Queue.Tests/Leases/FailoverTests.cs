using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Leases;

/// <summary>
/// Failover (issue #15): a <c>plaw worker</c> is killed with SIGKILL mid-run, so it neither checkpoints nor releases its
/// lease. Once the lease has expired another worker on the same PostgreSQL registry and shared data folder re-queues the run,
/// resumes it from the dead worker's last checkpoint, and the stored series equal those of the same run trained uninterrupted.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FailoverTests(PostgresServer server)
{
    [Fact]
    public async Task AfterAKilledWorkersLeaseExpiresAnotherResumesTheRunFromItsCheckpoint()
    {
        await using var registry = await TestRegistry.CreateAsync(server);
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        // 15 steps an epoch (60 users, batches of 4), 6,000 steps: several seconds even on a quiet machine (40 epochs once took
        // 0.8 s, over before the test could kill it), so it is killed mid-run; short enough for a test.
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, BatchSize = 4, Epochs = 400, EvalEvery = 200, Seed = 5, Threads = 1 };
        var killed = (await catalog.QueueAsync(dataset, options)).Id;
        string[] Worker() => ["worker", .. registry.CliArguments, "--lease", "3"];

        await using (var first = new WorkerProcess(Worker()))
        {
            await Wait.UntilAsync(async () => (await catalog.FindAsync(killed))!.EpochsDone >= 2, "two epochs (and their checkpoints)",
                context: () => first.Output);
            var steps = (await catalog.FindAsync(killed))!.StepsDone;
            await Wait.UntilAsync(async () => (await catalog.FindAsync(killed))! is var r && (r.StepsDone > steps + 3 || r.Status != RunStatus.Running),
                "a few steps into the next epoch", context: () => first.Output);
            Assert.True((await catalog.FindAsync(killed))!.Status == RunStatus.Running, $"The run ended before it could be killed.\n{first.Output}");
            await first.KillHardAsync();
        }
        var atKill = (await catalog.FindAsync(killed))!;
        Assert.Equal(RunStatus.Running, atKill.Status);
        Assert.True(atKill.LeaseExpiresUtc > DateTime.UtcNow - TimeSpan.FromMinutes(1), "the killed worker's lease was not left to expire");

        // The reference: the same run, queued after the killed one, so the second worker resumes the killed run first.
        var uninterrupted = (await catalog.QueueAsync(dataset, options)).Id;
        await using (var second = new WorkerProcess(["worker", .. registry.CliArguments, "--lease", "3", "--until-empty"]))
            Assert.True(await second.ExitCodeAsync(TimeSpan.FromMinutes(4)) == 0, second.Output);

        var run = (await catalog.FindAsync(killed))!;
        Assert.Equal((RunStatus.Completed, 2), (run.Status, run.Attempts));
        var events = (await catalog.EventsAsync(killed)).Select(e => e.Text).ToList();
        Assert.Contains(events, t => t.Contains("re-queued to resume from its checkpoint", StringComparison.Ordinal));
        Assert.Contains(events, t => t.Contains("resuming from its checkpoint", StringComparison.Ordinal) && t.Contains("attempt 2", StringComparison.Ordinal));
        // Resumed from the checkpoint, not from scratch: the second attempt logged "Resumed from" a later step than 0.
        Assert.Contains(events, t => t.StartsWith("Resumed from", StringComparison.Ordinal));

        await using var db = registry.OpenContext();
        async Task<List<string>> Series(int id) => (await db.MetricPoints.AsNoTracking()
                .Where(p => p.RunId == id && p.Name != "epoch_seconds").OrderBy(p => p.Split).ThenBy(p => p.Name).ThenBy(p => p.Step)
                .Select(p => new { p.Split, p.Name, p.Step, p.Epoch, p.Value }).ToListAsync())
            .ConvertAll(p => $"{p.Split} {p.Name} {p.Step} {p.Epoch} {p.Value:R}");
        var (resumed, reference) = (await Series(killed), await Series(uninterrupted));
        Assert.Equal((await catalog.FindAsync(uninterrupted))!.StepsDone, run.StepsDone);
        Assert.Equal(run.StepsDone, resumed.Count(s => s.StartsWith("train loss ", StringComparison.Ordinal)));
        Assert.Equal(reference, resumed);
    }
}
