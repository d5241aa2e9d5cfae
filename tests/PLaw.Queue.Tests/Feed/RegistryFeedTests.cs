using Microsoft.EntityFrameworkCore;
using Npgsql;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Worker.Feed;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Feed;

/// <summary>
/// Issue #15, live from anywhere: a run trained by a real <c>plaw worker</c> process reaches a dashboard's feed through the
/// registry alone (LISTEN/NOTIFY on PostgreSQL, the poll on SQLite): every stored point exactly once and in step order, its
/// status changes and its log lines.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RegistryFeedTests(PostgresServer server)
{
    // Long enough (about 2 s of training, 120 epochs of 8 steps) that the SQLite feed's 250 ms poll reads the run while it is
    // running: a feed carries a run as it is when read, and 12 epochs (0.2 s) once went from claimed to completed between reads.
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 120, EvalEvery = 30, BatchSize = 8, Threads = 1 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARunTrainedByAWorkerProcessArrivesOnADashboardsFeedOnceAndInOrder(bool postgres)
    {
        await using var registry = await TestRegistry.CreateAsync(postgres ? server : null);
        var dataset = await registry.StoreSmallDatasetAsync();
        await using var dashboard = await DashboardFeed.StartAsync(registry.Connection);
        // Queued by the test's own services (another process as far as the dashboard knows), trained by a worker process.
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Small);
        // Seen queued first (a feed carries the run as it is when read: a claim within one read would skip "queued").
        await Wait.UntilAsync(() => Task.FromResult(dashboard.Changes(run.Id).Any()), $"run {run.Id} queued on the dashboard's feed");
        await using var worker = new WorkerProcess(["worker", .. registry.CliArguments, "--until-empty"]);
        Assert.True(await worker.ExitCodeAsync(TimeSpan.FromMinutes(3)) == 0, worker.Output);

        await Wait.UntilAsync(() => Task.FromResult(dashboard.Changes(run.Id).Any(c => c.Status == RunStatus.Completed)),
            $"run {run.Id}'s completion on the dashboard's feed", TimeSpan.FromMinutes(1), () => dashboard.Describe(run.Id));
        await AssertArrivedOnceInOrderAsync(registry, dashboard, run.Id, () => worker.Output);
    }

    /// <summary>The listener's connection is cut mid-run (as a network failure or a database restart would): it reconnects,
    /// reads what was written meanwhile, and the run still arrives whole, nothing twice.</summary>
    [Fact]
    public async Task AListenerWhoseConnectionIsCutMidRunReconnectsAndMissesNothing()
    {
        await using var registry = await TestRegistry.CreateAsync(server);
        var dataset = await registry.StoreSmallDatasetAsync();
        // No fallback poll during the test: only the reconnect can bring back what was written while the listener was gone.
        await using var dashboard = await DashboardFeed.StartAsync(registry.Connection, new FeedSettings { PostgresFallbackPoll = TimeSpan.FromHours(1) });
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Small with { Epochs = 40, EvalEvery = 10 });
        await Wait.UntilAsync(() => Task.FromResult(dashboard.Changes(run.Id).Any()), $"run {run.Id} queued on the dashboard's feed");
        await using var worker = new WorkerProcess(["worker", .. registry.CliArguments, "--until-empty"]);
        await Wait.UntilAsync(() => Task.FromResult(dashboard.Points(run.Id).Count > 0), "the first points on the feed",
            context: () => worker.Output + dashboard.Describe(run.Id));

        await using (var admin = new NpgsqlConnection(registry.Connection.ConnectionString))
        {
            await admin.OpenAsync();
            await using var cut = new NpgsqlCommand(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", admin);
            Assert.Equal(1L, (long)(await cut.ExecuteScalarAsync())!);
        }
        Assert.True(await worker.ExitCodeAsync(TimeSpan.FromMinutes(3)) == 0, worker.Output);
        await Wait.UntilAsync(() => Task.FromResult(dashboard.Changes(run.Id).Any(c => c.Status == RunStatus.Completed)),
            $"run {run.Id}'s completion on the dashboard's feed after the reconnect", TimeSpan.FromMinutes(1), () => dashboard.Describe(run.Id));
        await AssertArrivedOnceInOrderAsync(registry, dashboard, run.Id, () => worker.Output);
    }

    private static async Task AssertArrivedOnceInOrderAsync(TestRegistry registry, DashboardFeed dashboard, int runId, Func<string> output)
    {
        // The completion is the last change the worker writes, after its last points and lines: all of them are out by now.
        await using var db = registry.OpenContext();
        var stored = await db.MetricPoints.AsNoTracking().Where(p => p.RunId == runId).ToListAsync();
        var lines = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).Select(e => e.Text).ToListAsync();
        var points = dashboard.Points(runId);
        string Context() => $"{dashboard.Describe(runId)}\n--- worker\n{output()}";

        var steps = (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId)).StepsDone;
        Assert.True(steps > 0, Context());
        // Exactly once and in order: the loss series as it arrived is 1…StepsDone.
        Assert.True(Enumerable.Range(1, (int)steps).Select(s => (long)s).SequenceEqual(points.Where(p => p.Split == "train" && p.Name == "loss").Select(p => p.Step)),
            $"loss steps as they arrived differ from 1…{steps}.\n{Context()}");
        // Every stored point of every series, no more, with the stored values.
        var arrived = points.Select(p => (p.Split, p.Name, p.Step, Value: double.IsNaN(p.Value) ? (double?)null : p.Value)).Order().ToList();
        var expected = stored.Select(p => (p.Split, p.Name, p.Step, p.Value)).Order().ToList();
        Assert.True(expected.SequenceEqual(arrived), $"{arrived.Count} points arrived, {expected.Count} are stored.\n{Context()}");
        Assert.Contains(points, p => p.Split == MetricSplits.Test);
        // Its status changes: queued, training, completed, in that order, each status once.
        var statuses = dashboard.Changes(runId).Select(c => c.Status).Distinct().ToList();
        Assert.True(statuses.SequenceEqual([RunStatus.Queued, RunStatus.Running, RunStatus.Completed]), $"statuses [{string.Join(",", statuses)}]\n{Context()}");
        // Its log, line for line (the "started on" line among them).
        Assert.True(lines.SequenceEqual(dashboard.Lines(runId)), $"stored lines [{string.Join(" | ", lines)}]\n{Context()}");
        Assert.Contains(lines, l => l.StartsWith("started on", StringComparison.Ordinal));
    }
}
