using System.Threading.Channels;
using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Queue;

/// <summary>
/// The trainer's <see cref="IProgress{T}"/> for one run. Report only enqueues (the training thread does not wait for the
/// database on steps); a flusher writes what has arrived every flush interval in one transaction and publishes it as one
/// feed message, so watchers get at most a few messages a second whatever the step rate.
/// At the last event of an epoch (its end, or its test evaluation when it has one) the trainer is held until everything so far
/// is written: the trainer saves its checkpoint right after that event, so a crash can never leave a checkpoint ahead of the
/// stored history (a resumed run re-does only steps whose points are either stored already — and are overwritten — or not yet
/// reported).
/// </summary>
public sealed class MetricSink : IProgress<TrainingEvent>, IAsyncDisposable
{
    private readonly int runId;
    private readonly HeldRun lease;
    private readonly MetricStore store;
    private readonly RunCatalog catalog;
    private readonly RunFeed feed;
    private readonly TimeSpan interval;
    private readonly Channel<(TrainingEvent Event, long TimeUnixMs)> events =
        Channel.CreateUnbounded<(TrainingEvent, long)>(new() { SingleReader = true });
    private readonly Task flusher;
    private readonly List<MetricPoint> batch = new(1024);

    private readonly int evalEvery;
    private readonly int epochs;

    /// <param name="options">The run's options: which epochs end with an evaluation (the trainer evaluates every
    /// <see cref="RunOptions.EvalEvery"/> epochs and after the last).</param>
    /// <param name="lease">The run's lease: progress is written only while this worker holds it.</param>
    public MetricSink(HeldRun lease, RunOptions options, MetricStore store, RunCatalog catalog, RunFeed feed, TimeSpan interval)
    {
        evalEvery = Math.Max(1, options.EvalEvery);
        epochs = options.Epochs;
        runId = lease.RunId;
        this.lease = lease;
        this.store = store;
        this.catalog = catalog;
        this.feed = feed;
        this.interval = interval;
        flusher = Task.Run(FlushLoopAsync);
    }

    public long PointsWritten { get; private set; }

    /// <summary>How long the trainer has waited for the history to be stored before its checkpoints.</summary>
    public TimeSpan Held { get; private set; }

    public void Report(TrainingEvent value)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        events.Writer.TryWrite((value, now));
        if (!LastBeforeCheckpoint(value)) return;
        var barrier = new Barrier();
        events.Writer.TryWrite((barrier, now));
        urgent.Release();
        var held = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!barrier.Written.Task.Wait(TimeSpan.FromSeconds(1)))
            if (flusher.IsCompleted)
                throw new InvalidOperationException("The run's metric writer stopped; its history could not be stored.", flusher.Exception);
        Held += System.Diagnostics.Stopwatch.GetElapsedTime(held);
    }

    private bool LastBeforeCheckpoint(TrainingEvent e) => e switch
    {
        EpochCompleted end => end.Epoch % evalEvery != 0 && end.Epoch != epochs,
        EvaluationCompleted evaluation => evaluation.Split == MetricSplits.Test,
        _ => false,
    };

    /// <summary>Completed by the flusher once every event queued before it is in the registry.</summary>
    private sealed record Barrier : TrainingEvent
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly SemaphoreSlim urgent = new(0);

    private async Task FlushLoopAsync()
    {
        var reader = events.Reader;
        while (await reader.WaitToReadAsync())
        {
            var started = DateTime.UtcNow;
            var progress = new Progress();
            var messages = new List<string>();
            var barriers = new List<Barrier>();
            while (reader.TryRead(out var e))
            {
                if (e.Event is Barrier b) barriers.Add(b);
                else Collect(e.Event, e.TimeUnixMs, progress, messages);
            }
            try
            {
                await FlushAsync(progress, messages);
            }
            catch (Exception error)
            {
                foreach (var b in barriers) b.Written.TrySetException(error);
                throw;
            }
            foreach (var b in barriers) b.Written.TrySetResult();
            var wait = interval - (DateTime.UtcNow - started);
            if (wait > TimeSpan.Zero) await urgent.WaitAsync(wait);
        }
    }

    private sealed class Progress
    {
        public int? Epoch;
        public long? Step;
        public double? Loss;
        public Dictionary<string, double>? TestMetrics;
        public SessionOpened? Session;
    }

    /// <param name="now">When the trainer reported it: the points' time, from which watchers measure their latency.</param>
    private void Collect(TrainingEvent e, long now, Progress progress, List<string> messages)
    {
        switch (e)
        {
            case StepCompleted s:
                batch.Add(new MetricPoint(MetricSplits.Train, "loss", s.Step, s.Epoch, s.Loss, now));
                batch.Add(new MetricPoint(MetricSplits.Train, "lr", s.Step, s.Epoch, s.LearningRate, now));
                progress.Step = s.Step;
                progress.Loss = s.Loss;
                break;
            case EvaluationCompleted ev:
                foreach (var (name, value) in ev.Metrics)
                    batch.Add(new MetricPoint(ev.Split, name, ev.Step, ev.Epoch, value, now));
                if (ev.Split == MetricSplits.Test) progress.TestMetrics = new Dictionary<string, double>(ev.Metrics);
                break;
            case EpochCompleted ep:
                batch.Add(new MetricPoint(MetricSplits.Train, "epoch_loss", ep.Step, ep.Epoch, ep.MeanLoss, now));
                batch.Add(new MetricPoint(MetricSplits.Train, "epoch_seconds", ep.Step, ep.Epoch, ep.Seconds, now));
                progress.Epoch = ep.Epoch;
                progress.Step = ep.Step;
                break;
            case CheckpointSaved:
                // Every epoch ends with one; the run's row names the file, and the log keeps what is worth reading.
                break;
            case Message m:
                messages.Add(m.Text);
                break;
            case SessionOpened opened:
                progress.Session = opened;
                break;
        }
    }

    private async Task FlushAsync(Progress progress, List<string> messages)
    {
        // A worker that lost the run's lease writes nothing more: the run's new holder redoes these steps from its checkpoint.
        if (lease.Lost)
        {
            batch.Clear();
            return;
        }
        if (batch.Count > 0)
        {
            var points = batch.ToArray();
            batch.Clear();
            await store.AppendAsync(runId, points);
            PointsWritten += points.Length;
            feed.Publish(new MetricsAppended(runId, points));
        }
        foreach (var message in messages) await catalog.LogAsync(runId, message);
        if (progress.Step is not null || progress.Epoch is not null || progress.TestMetrics is not null || progress.Session is not null)
            await lease.UpdateAsync(run =>
            {
                if (progress.Session is { } session)
                {
                    run.Backend = session.Backend;
                    run.Device = session.Device;
                    run.Compute = session.Compute;
                }
                if (progress.Epoch is { } epoch) run.EpochsDone = epoch;
                if (progress.Step is { } step) run.StepsDone = step;
                if (progress.Loss is { } loss) run.LastLoss = double.IsFinite(loss) ? loss : null;
                if (progress.TestMetrics is { } metrics) RunResults.SetTestMetrics(run, metrics);
            });
    }

    /// <summary>Writes everything still queued, then stops the flusher.</summary>
    public async ValueTask DisposeAsync()
    {
        events.Writer.TryComplete();
        // Wake the flusher from its wait between flushes: the rest is written now, not a flush interval later.
        urgent.Release();
        await flusher;
    }
}
