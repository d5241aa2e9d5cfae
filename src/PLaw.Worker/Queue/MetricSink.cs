using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Queue;

/// <summary>
/// The trainer's <see cref="IProgress{T}"/> for one run. Report only appends to a list under a lock (the training thread does
/// not wait for the database on steps, nor allocate beyond the trainer's own events); the sink's own thread writes what has
/// arrived every flush interval in one transaction (points, log lines and the run's progress: <see cref="RunProgressWriter"/>)
/// and publishes it as one feed message per kind, so watchers get at most a few messages a second whatever the step rate.
/// The interval adapts to what flushes cost (<see cref="FlushPacing"/>), and the thread steps aside for the training threads
/// (<see cref="WriterThread"/>): its CPU time is measured (<see cref="WriterCpu"/>), not assumed.
/// At the last event of an epoch (its end, or its test evaluation when it has one) the trainer is held until everything so far
/// is written: the trainer saves its checkpoint right after that event, so a crash can never leave a checkpoint ahead of the
/// stored history (a resumed run re-does only steps whose points are either stored already — and are overwritten — or not yet
/// reported). That flush runs on the trainer's own thread: the trainer waits for it anyway, and a writer thread that steps
/// aside could be starved there by other processes on a busy host (measured with nice 19 on the writer's thread: 15 s held in
/// a 100 s run at load 60).
/// </summary>
public sealed class MetricSink : IProgress<TrainingEvent>, IAsyncDisposable
{
    private readonly int runId;
    private readonly HeldRun lease;
    private readonly RunFeed feed;
    private readonly FlushPacing pacing;
    private readonly bool stepAside;

    private readonly Lock gate = new();
    private List<(TrainingEvent Event, long TimeUnixMs)> incoming = new(1024), draining = new(1024);
    private bool completing;
    /// <summary>Released at the end: the rest is written at once, not a flush interval later.</summary>
    private readonly SemaphoreSlim urgent = new(0);
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One flush at a time: the writer thread's, or the trainer's before a checkpoint. Guards what follows.</summary>
    private readonly Lock writing = new();
    private readonly RunProgressUpdate progress = new();
    private readonly RunProgressWriter writer;
    private Exception? failure;

    private readonly int evalEvery;
    private readonly int epochs;

    /// <param name="options">The run's options: which epochs end with an evaluation (the trainer evaluates every
    /// <see cref="RunOptions.EvalEvery"/> epochs and after the last).</param>
    /// <param name="lease">The run's lease: progress is written only while this worker holds it.</param>
    /// <param name="interval">The shortest wait between flushes (PLaw:MetricFlushMilliseconds); <see cref="FlushPacing"/>
    /// lengthens it up to 500 ms when flushes are costly.</param>
    /// <param name="stepAside">Run the writer at the lowest priority (<see cref="WriterThread.StepAside"/>); false only to
    /// measure what that buys.</param>
    public MetricSink(HeldRun lease, RunOptions options, MetricStore store, RunFeed feed, TimeSpan interval, bool stepAside = true)
    {
        evalEvery = Math.Max(1, options.EvalEvery);
        epochs = options.Epochs;
        runId = lease.RunId;
        this.lease = lease;
        this.feed = feed;
        this.stepAside = stepAside;
        pacing = new FlushPacing(interval);
        // Opened here, before the trainer starts: a registry that cannot be written stops the run before it spends any
        // compute, and the connection, its prepared statements and their first-use costs stay off the training steps.
        writer = store.OpenWriter(runId, lease.Holder.WorkerId);
        new Thread(FlushLoop) { IsBackground = true, Name = $"plaw-metrics-{runId}" }.Start();
    }

    /// <summary>As the queue worker builds it (the catalog is no longer used: log lines go through the run's writer).</summary>
    public MetricSink(HeldRun lease, RunOptions options, MetricStore store, RunCatalog catalog, RunFeed feed, TimeSpan interval)
        : this(lease, options, store, feed, interval)
    {
    }

    public long PointsWritten { get; private set; }

    /// <summary>How long the trainer has waited for the history to be stored before its checkpoints.</summary>
    public TimeSpan Held { get; private set; }

    /// <summary>CPU time the writer's thread has used (measured on Linux; zero elsewhere).</summary>
    public TimeSpan WriterCpu { get; private set; }

    /// <summary>Transactions written.</summary>
    public int Flushes { get; private set; }

    /// <summary>The current wait between flushes (<see cref="FlushPacing"/>).</summary>
    public TimeSpan Interval => pacing.Interval;

    /// <summary>The writer thread's nice value once it started (Linux), for the record.</summary>
    public int? WriterNice { get; private set; }

    public void Report(TrainingEvent value)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (!LastBeforeCheckpoint(value))
        {
            lock (gate) incoming.Add((value, now));
            return;
        }
        lock (gate) incoming.Add((value, now));
        var held = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (writing) FlushArrived();
        Held += System.Diagnostics.Stopwatch.GetElapsedTime(held);
    }

    private bool LastBeforeCheckpoint(TrainingEvent e) => e switch
    {
        EpochCompleted end => end.Epoch % evalEvery != 0 && end.Epoch != epochs,
        EvaluationCompleted evaluation => evaluation.Split == MetricSplits.Test,
        _ => false,
    };

    private void FlushLoop()
    {
        if (stepAside) WriterThread.StepAside();
        WriterNice = WriterThread.CurrentNice();
        try
        {
            while (true)
            {
                urgent.Wait(pacing.Interval);
                bool last;
                lock (gate) last = completing;
                // Everything reported before the end was read is written by this flush.
                lock (writing) FlushArrived();
                if (last) break;
            }
            stopped.TrySetResult();
        }
        catch (Exception error)
        {
            stopped.TrySetException(error);
        }
        finally
        {
            lock (writing) writer.Dispose();
        }
    }

    /// <summary>Writes what has been reported so far, in one transaction. The caller holds <see cref="writing"/>.</summary>
    private void FlushArrived()
    {
        if (failure is not null) throw new InvalidOperationException("The run's metric writer stopped; its history could not be stored.", failure);
        lock (gate) (incoming, draining) = (draining, incoming);
        foreach (var (e, time) in draining) Collect(e, time);
        draining.Clear();
        if (progress.IsEmpty) return;
        var cpu = WriterThread.CpuTime();
        try
        {
            Flush();
        }
        catch (Exception error)
        {
            failure = error;
            throw;
        }
        var used = WriterThread.CpuTime() - cpu;
        WriterCpu += used;
        pacing.Flushed(used);
    }

    /// <param name="now">When the trainer reported it: the points' time, from which watchers measure their latency.</param>
    private void Collect(TrainingEvent e, long now)
    {
        var points = progress.Points;
        switch (e)
        {
            case StepCompleted s:
                points.Add(new MetricPoint(MetricSplits.Train, "loss", s.Step, s.Epoch, s.Loss, now));
                points.Add(new MetricPoint(MetricSplits.Train, "lr", s.Step, s.Epoch, s.LearningRate, now));
                progress.Step = s.Step;
                progress.Loss = s.Loss;
                break;
            case EvaluationCompleted ev:
                foreach (var (name, value) in ev.Metrics)
                    points.Add(new MetricPoint(ev.Split, name, ev.Step, ev.Epoch, value, now));
                if (ev.Split == MetricSplits.Test) progress.TestMetrics = new Dictionary<string, double>(ev.Metrics);
                break;
            case EpochCompleted ep:
                points.Add(new MetricPoint(MetricSplits.Train, "epoch_loss", ep.Step, ep.Epoch, ep.MeanLoss, now));
                points.Add(new MetricPoint(MetricSplits.Train, "epoch_seconds", ep.Step, ep.Epoch, ep.Seconds, now));
                progress.Epoch = ep.Epoch;
                progress.Step = ep.Step;
                break;
            case CheckpointSaved:
                // Every epoch ends with one; the run's row names the file, and the log keeps what is worth reading.
                break;
            case Message m:
                progress.Lines.Add((DateTimeOffset.FromUnixTimeMilliseconds(now).UtcDateTime, RunProgressWriter.Truncated(m.Text)));
                break;
            case SessionOpened opened:
                progress.Session = (opened.Backend, opened.Device, opened.Compute);
                break;
        }
    }

    private void Flush()
    {
        // A worker that lost the run's lease writes nothing more: the run's new holder redoes these steps from its checkpoint.
        if (lease.Lost)
        {
            progress.Clear();
            return;
        }
        RunSummary? run = null;
        if (lease.Write(_ => (run = writer.Write(progress)) is not null))
        {
            Flushes++;
            if (progress.Points.Count > 0)
            {
                PointsWritten += progress.Points.Count;
                feed.Publish(new MetricsAppended(runId, progress.Points.ToArray()));
            }
            foreach (var (time, text) in progress.Lines) feed.Publish(new RunLogged(runId, time, text));
            if (progress.ChangesRun) feed.Publish(new RunChanged(run!));
        }
        progress.Clear();
    }

    /// <summary>Writes everything still queued, then stops the writer's thread.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (gate) completing = true;
        // Wake the writer from its wait between flushes: the rest is written now, not a flush interval later.
        urgent.Release();
        await stopped.Task;
    }
}
