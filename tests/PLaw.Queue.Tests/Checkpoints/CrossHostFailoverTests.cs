using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Checkpoints;

/// <summary>
/// Failover across hosts (issue #15): two <c>plaw worker</c> processes on one PostgreSQL registry, each with its own data folder
/// (nothing shared but the database, as on two machines). The first is killed with SIGKILL mid-run; once its lease has expired
/// the second resumes the run from the checkpoint the first stored in the registry, and the stored series equal an
/// uninterrupted run's.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrossHostFailoverTests(PostgresServer server)
{
    [Fact]
    public async Task AWorkerOnAnotherHostResumesAKilledRunFromTheRegistrysCheckpoint()
    {
        await using var registry = await TestRegistry.CreateAsync(server);
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        var store = registry.Get<CheckpointStore>();
        // 15 steps an epoch (60 users, batches of 4), 6,000 steps: several seconds even on a quiet machine, so it is killed
        // mid-run; short enough for a test.
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, BatchSize = 4, Epochs = 400, EvalEvery = 200, Seed = 5, Threads = 1 };
        var killed = (await catalog.QueueAsync(dataset, options)).Id;
        var hostA = Directory.CreateDirectory(Path.Combine(registry.DataDirectory, "host-a")).FullName;
        var hostB = Directory.CreateDirectory(Path.Combine(registry.DataDirectory, "host-b")).FullName;
        // No --checkpoints: on PostgreSQL they go in the registry by default.
        string[] Worker(string host) => ["worker", "--data-dir", host, "--registry", registry.Connection.ConnectionString, "--lease", "3"];

        await using (var first = new WorkerProcess(Worker(hostA)))
        {
            await Wait.UntilAsync(async () => await store.FindAsync(killed) is { } stored && (await catalog.FindAsync(killed))!.EpochsDone >= 2,
                "two epochs and a checkpoint in the registry", context: () => first.Output);
            var steps = (await catalog.FindAsync(killed))!.StepsDone;
            await Wait.UntilAsync(async () => (await catalog.FindAsync(killed))! is var r && (r.StepsDone > steps + 3 || r.Status != RunStatus.Running),
                "a few steps into the next epoch", context: () => first.Output);
            Assert.True((await catalog.FindAsync(killed))!.Status == RunStatus.Running, $"The run ended before it could be killed.\n{first.Output}");
            await first.KillHardAsync();
            Assert.Contains("checkpoints in the registry", first.Output, StringComparison.Ordinal);
        }
        var atKill = (await catalog.FindAsync(killed))!;
        Assert.Equal(RunStatus.Running, atKill.Status);
        Assert.StartsWith(hostA, atKill.CheckpointPath, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(hostB, "runs", $"run-{killed}")), "host B had the run's checkpoint before it trained it");

        // The reference: the same run, queued after the killed one, so the second worker resumes the killed run first.
        var uninterrupted = (await catalog.QueueAsync(dataset, options)).Id;
        await using (var second = new WorkerProcess([.. Worker(hostB), "--until-empty"]))
            Assert.True(await second.ExitCodeAsync(TimeSpan.FromMinutes(4)) == 0, second.Output);

        var run = (await catalog.FindAsync(killed))!;
        Assert.Equal((RunStatus.Completed, 2), (run.Status, run.Attempts));
        Assert.StartsWith(hostB, run.CheckpointPath, StringComparison.Ordinal);
        var events = (await catalog.EventsAsync(killed)).Select(e => e.Text).ToList();
        Assert.Contains(events, t => t.Contains("attempt 2", StringComparison.Ordinal) &&
                                     t.Contains("resuming from its checkpoint (downloaded from the registry)", StringComparison.Ordinal));
        // Resumed from the checkpoint, not from scratch: the second attempt logged "Resumed from" a later step than 0.
        Assert.Contains(events, t => t.StartsWith("Resumed from", StringComparison.Ordinal));
        // The finished run's final checkpoint is in the registry; host B's working copy went once it was stored there.
        Assert.NotNull(await store.FindAsync(killed));
        Assert.False(File.Exists(run.CheckpointPath), "host B kept the finished run's working copy");
        using (var located = await registry.Get<CheckpointLocator>().LocateAsync(run, Path.Combine(hostB, "runs")))
            Assert.Equal(run.EpochsDone, Checkpoint.Load(located.Path).History.Count);

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
