using Microsoft.Extensions.Logging;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Queue;

/// <summary>
/// A run this worker holds under a lease. It heartbeats every third of the lease while the run trains, and changes the run
/// only while it still holds it. When the lease is lost (the worker stalled past its lease, another worker re-queued or took
/// the run) the training is cancelled and nothing more is written: the run belongs to its new holder.
/// </summary>
public sealed class HeldRun : IAsyncDisposable
{
    private readonly RunCatalog catalog;
    private readonly CancellationTokenSource training;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly Task heartbeats;
    private int lost;

    public HeldRun(int runId, RunHolder holder, RunCatalog catalog, CancellationTokenSource training, ILogger logger)
    {
        RunId = runId;
        Holder = holder;
        this.catalog = catalog;
        this.training = training;
        this.logger = logger;
        heartbeats = Task.Run(HeartbeatLoopAsync);
    }

    public int RunId { get; }

    public RunHolder Holder { get; }

    /// <summary>True once the lease is gone: the training was cancelled for it and the run must not be written again.</summary>
    public bool Lost => Volatile.Read(ref lost) == 1;

    /// <summary>Changes the run while this worker holds it; false (and the training cancelled) when it no longer does.</summary>
    public async Task<bool> UpdateAsync(Action<RunRecord> change)
    {
        if (Lost) return false;
        if (await catalog.UpdateHeldAsync(RunId, Holder, change)) return true;
        Lose("a change found the run no longer held by this worker");
        return false;
    }

    /// <summary>
    /// A write that checks the lease itself (a statement conditional on <see cref="Holder"/> holding the run, such as
    /// <see cref="RunProgressWriter.Write"/>): <paramref name="write"/> returns false when it found the run no longer held,
    /// and then the lease is lost as with <see cref="UpdateAsync"/>. Not called once the lease is lost.
    /// </summary>
    public bool Write(Func<RunHolder, bool> write)
    {
        if (Lost) return false;
        if (write(Holder)) return true;
        Lose("a write found the run no longer held by this worker");
        return false;
    }

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(Holder.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    if (!await catalog.HeartbeatAsync(RunId, Holder, stop.Token))
                    {
                        Lose("its heartbeat found the lease gone");
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or unreachable registry: the next beat tries again; the lease covers two missed beats.
                    logger.LogWarning(e, "Run {RunId}: heartbeat failed; retrying", RunId);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void Lose(string how)
    {
        if (Interlocked.Exchange(ref lost, 1) == 1) return;
        logger.LogWarning("Run {RunId}: lease lost ({How}); stopping without writing more, its new holder trains it", RunId, how);
        try { training.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Stops the heartbeats (the run was finished or released).</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await heartbeats;
        stop.Dispose();
    }
}
