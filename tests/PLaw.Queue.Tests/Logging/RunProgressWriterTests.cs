using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;
using PLaw.Worker.Queue;

namespace PLaw.Queue.Tests.Logging;

/// <summary>
/// The training worker's flush (issue #14, light logging): points, log lines and the run's progress in one transaction, written
/// only while the worker holds the run, on both providers; and the metric sink built on it (the lease, the barrier before a
/// checkpoint, the feed).
/// </summary>
public abstract class RunProgressWriterTests
{
    protected abstract Task<TestRegistry> CreateRegistryAsync();

    private static readonly RunOptions Tiny = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 4, EvalEvery = 2, Threads = 1 };

    private static readonly RunHolder WorkerA = new("worker-a", "host-a", TimeSpan.FromMinutes(1));
    private static readonly RunHolder WorkerB = new("worker-b", "host-b", TimeSpan.FromMinutes(1));

    private static async Task<int> ClaimedRunAsync(TestRegistry registry, RunHolder holder)
    {
        var dataset = await registry.StoreSmallDatasetAsync();
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Tiny);
        Assert.Equal(run.Id, (await registry.Get<RunCatalog>().ClaimNextAsync(holder))!.Id);
        return run.Id;
    }

    /// <summary>Worker A's lease ends unrenewed, recovery re-queues the run, and worker B claims it.</summary>
    private static async Task HandOverAsync(TestRegistry registry, int runId)
    {
        var catalog = registry.Get<RunCatalog>();
        Assert.True(await catalog.ReleaseAsync(runId, WorkerA));
        Assert.Equal([runId], await catalog.RecoverAbandonedAsync(DateTime.UtcNow + TimeSpan.FromSeconds(1)));
        Assert.Equal(runId, (await catalog.ClaimNextAsync(WorkerB))!.Id);
    }

    private static async Task<RunRecord> RowAsync(TestRegistry registry, int runId)
    {
        await using var db = registry.OpenContext();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    [Fact]
    public async Task AFlushStoresPointsLinesAndProgressTogetherAndBumpsTheRunsVersion()
    {
        await using var registry = await CreateRegistryAsync();
        var runId = await ClaimedRunAsync(registry, WorkerA);
        var before = await RowAsync(registry, runId);
        var store = registry.Get<MetricStore>();
        using var writer = store.OpenWriter(runId, WorkerA.WorkerId);

        var progress = new RunProgressUpdate();
        for (var step = 1; step <= 300; step++)
        {
            progress.Points.Add(new MetricPoint("train", "loss", step, 1, 1.0 / step, 1_000 + step));
            progress.Points.Add(new MetricPoint("train", "lr", step, 1, 1e-3, 1_000 + step));
        }
        // The same key twice in one flush: the later report stands, as consecutive upserts would leave it.
        progress.Points.Add(new MetricPoint("train", "loss", 300, 1, 7.0, 9_999));
        progress.Points.Add(new MetricPoint("train", "epoch_loss", 300, 1, double.NaN, 2_000));
        progress.Lines.Add((new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc), "Backend native on cpu"));
        progress.Step = 300;
        progress.Epoch = 1;
        progress.Loss = 0.25;
        progress.Session = ("native", "cpu", "managed GEMM, 1 thread");
        progress.TestMetrics = new Dictionary<string, double> { ["HR@10"] = 0.5, ["NDCG@10"] = 0.3 };

        var summary = writer.Write(progress);
        Assert.NotNull(summary);
        Assert.Equal((300L, 1, 0.25, 0.3), (summary.StepsDone, summary.EpochsDone, summary.LastLoss!.Value, summary.TestNdcg10!.Value));
        Assert.Equal(RunStatus.Running, summary.Status);

        var loss = await store.SeriesAsync(runId, "train", "loss", maxPoints: 1000);
        Assert.Equal(300, loss.Count);
        Assert.Equal((1L, 1.0, 1_001L), (loss[0].Step, loss[0].Value, loss[0].TimeUnixMs));
        Assert.Equal((7.0, 9_999L), (loss[^1].Value, loss[^1].TimeUnixMs));
        Assert.Equal(300, (await store.SeriesAsync(runId, "train", "lr", maxPoints: 1000)).Count);
        Assert.True(double.IsNaN(Assert.Single(await store.SeriesAsync(runId, "train", "epoch_loss")).Value));
        var line = Assert.Single(await registry.Get<RunCatalog>().EventsAsync(runId), e => e.Text == "Backend native on cpu");

        var after = await RowAsync(registry, runId);
        Assert.Equal((300L, 1, 0.25), (after.StepsDone, after.EpochsDone, after.LastLoss));
        Assert.Equal(("native", "cpu", "managed GEMM, 1 thread"), (after.Backend, after.Device, after.Compute));
        Assert.Equal((0.5, 0.3), (after.TestHr10, after.TestNdcg10));
        Assert.Contains("\"NDCG@10\"", after.FinalMetricsJson);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal((before.Name, before.CreatedUtc, before.StartedUtc), (summary.Name, summary.CreatedUtc, summary.StartedUtc));

        // A flush of points alone keeps the progress columns; a loss that is not a number clears the last loss.
        progress.Clear();
        progress.Points.Add(new MetricPoint("train", "loss", 301, 2, 0.2, 3_000));
        progress.Step = 301;
        progress.Loss = double.NaN;
        Assert.NotNull(writer.Write(progress));
        after = await RowAsync(registry, runId);
        Assert.Equal((301L, 1, (double?)null, 0.3), (after.StepsDone, after.EpochsDone, after.LastLoss, after.TestNdcg10));
        Assert.Equal("native", after.Backend);
        Assert.Equal(before.Version + 2, after.Version);
    }

    [Fact]
    public async Task AWorkerThatLostTheRunWritesNothingOfItsFlush()
    {
        await using var registry = await CreateRegistryAsync();
        var runId = await ClaimedRunAsync(registry, WorkerA);
        using var writer = registry.Get<MetricStore>().OpenWriter(runId, WorkerA.WorkerId);
        await HandOverAsync(registry, runId);
        var held = await RowAsync(registry, runId);

        var progress = new RunProgressUpdate { Step = 50, Epoch = 1, Loss = 0.5 };
        progress.Points.Add(new MetricPoint("train", "loss", 50, 1, 0.5, 1_000));
        progress.Lines.Add((DateTime.UtcNow, "written by a worker that lost the run"));
        Assert.Null(writer.Write(progress));

        Assert.Empty(await registry.Get<MetricStore>().SeriesNamesAsync(runId));
        Assert.DoesNotContain(await registry.Get<RunCatalog>().EventsAsync(runId), e => e.Text.StartsWith("written by", StringComparison.Ordinal));
        var after = await RowAsync(registry, runId);
        Assert.Equal((held.Version, 0L, "worker-b"), (after.Version, after.StepsDone, after.WorkerId));
    }

    [Fact]
    public async Task AFlushThatFailsPartWayLeavesTheRunAsItWas()
    {
        await using var registry = await CreateRegistryAsync();
        var runId = await ClaimedRunAsync(registry, WorkerA);
        using var writer = registry.Get<MetricStore>().OpenWriter(runId, WorkerA.WorkerId);
        var before = await RowAsync(registry, runId);

        var progress = new RunProgressUpdate { Step = 10, Epoch = 1, Loss = 0.5 };
        progress.Points.Add(new MetricPoint("train", "loss", 10, 1, 0.5, 1_000));
        progress.Points.Add(new MetricPoint("train", null!, 10, 1, 0.5, 1_000));   // the key's name is NOT NULL
        Assert.ThrowsAny<Exception>(() => writer.Write(progress));

        Assert.Empty(await registry.Get<MetricStore>().SeriesNamesAsync(runId));
        var after = await RowAsync(registry, runId);
        Assert.Equal((before.Version, 0L), (after.Version, after.StepsDone));
        // The writer goes on with the next flush.
        progress.Points.RemoveAt(1);
        Assert.NotNull(writer.Write(progress));
        Assert.Equal(10L, (await RowAsync(registry, runId)).StepsDone);
    }

    [Fact]
    public async Task ASinkHoldsTheTrainerAtAnEpochsEndUntilItsPointsAreStored()
    {
        await using var registry = await CreateRegistryAsync();
        var runId = await ClaimedRunAsync(registry, WorkerA);
        using var training = new CancellationTokenSource();
        await using var lease = new HeldRun(runId, WorkerA, registry.Get<RunCatalog>(), training, NullLogger.Instance);
        var messages = new List<RunFeedMessage>();
        using var listening = registry.Get<RunFeed>().Subscribe(m => { lock (messages) messages.Add(m); });
        // A flush interval far longer than the test: only the barrier can have written the points by the time Report returns.
        var sink = new MetricSink(lease, Tiny, registry.Get<MetricStore>(), registry.Get<RunFeed>(), TimeSpan.FromMinutes(10));
        await using (sink)
        {
            sink.Report(new SessionOpened("native", "cpu", "managed GEMM"));
            sink.Report(new Message("Backend native on cpu"));
            for (var step = 1; step <= 20; step++) sink.Report(new StepCompleted(1, step, 1.0 / step, 1e-3, TimeSpan.Zero));
            sink.Report(new EpochCompleted(1, 20, 0.3, 1.5));   // epoch 1 of EvalEvery 2: its checkpoint follows at once

            Assert.Equal(20, (await registry.Get<MetricStore>().SeriesAsync(runId, "train", "loss")).Count);
            var row = await RowAsync(registry, runId);
            Assert.Equal((20L, 1, "native"), (row.StepsDone, row.EpochsDone, row.Backend));
            Assert.Contains(await registry.Get<RunCatalog>().EventsAsync(runId), e => e.Text == "Backend native on cpu");
            Assert.Equal(1, sink.Flushes);
            lock (messages)
            {
                Assert.Equal(42, messages.OfType<MetricsAppended>().Sum(m => m.Points.Count));
                Assert.Contains(messages, m => m is RunLogged { Text: "Backend native on cpu" });
                Assert.Contains(messages, m => m is RunChanged { Run.StepsDone: 20, Run.EpochsDone: 1 });
            }
        }
        // The writer stepped aside for the training threads, and its CPU time was measured.
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(WriterThread.Nice, sink.WriterNice);
            Assert.True(sink.WriterCpu > TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task ASinkThatLostTheLeaseStopsTheTrainingAndWritesNothing()
    {
        await using var registry = await CreateRegistryAsync();
        var runId = await ClaimedRunAsync(registry, WorkerA);
        using var training = new CancellationTokenSource();
        await using var lease = new HeldRun(runId, WorkerA, registry.Get<RunCatalog>(), training, NullLogger.Instance);
        await HandOverAsync(registry, runId);
        var sink = new MetricSink(lease, Tiny, registry.Get<MetricStore>(), registry.Get<RunFeed>(), TimeSpan.FromMinutes(10));
        await using (sink)
        {
            for (var step = 1; step <= 20; step++) sink.Report(new StepCompleted(1, step, 1.0 / step, 1e-3, TimeSpan.Zero));
            sink.Report(new EpochCompleted(1, 20, 0.3, 1.5));
        }
        Assert.True(lease.Lost);
        Assert.True(training.IsCancellationRequested);
        Assert.Equal(0, sink.PointsWritten);
        Assert.Empty(await registry.Get<MetricStore>().SeriesNamesAsync(runId));
        Assert.Equal((0L, "worker-b"), ((await RowAsync(registry, runId)).StepsDone, (await RowAsync(registry, runId)).WorkerId));
    }
}

public sealed class SqliteRunProgressWriterTests : RunProgressWriterTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRunProgressWriterTests(PostgresServer server) : RunProgressWriterTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
