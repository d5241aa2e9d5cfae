using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry.Checkpoints;

namespace PLaw.Worker.Queue;

/// <summary>
/// Stores a run's checkpoint in the registry each time the trainer saves it (<see cref="CheckpointSaved"/>), while training
/// goes on: the upload reads the file it opened even when the trainer renames a newer one over it, and saves made during an
/// upload are coalesced into one more upload of the newest file. The registry's copy is never ahead of the stored history
/// (the trainer saves a checkpoint only after <see cref="MetricSink"/> has written the epoch). <see cref="FlushAsync"/> waits
/// for the last save to be stored before the run is marked completed, cancelled or released.
/// </summary>
public sealed class CheckpointUploader(IProgress<TrainingEvent> inner, CheckpointStore store, HeldRun lease, string file, ILogger logger)
    : IProgress<TrainingEvent>
{
    private readonly Lock gate = new();
    private long requested;
    private long stored;
    private bool uploading;
    private Task running = Task.CompletedTask;
    private Exception? failure;

    /// <summary>Checkpoints stored in the registry so far.</summary>
    public int Uploads { get; private set; }

    public void Report(TrainingEvent value)
    {
        inner.Report(value);
        if (value is not CheckpointSaved) return;
        lock (gate)
        {
            requested++;
            if (uploading) return;
            uploading = true;
            running = Task.Run(UploadLoopAsync);
        }
    }

    private async Task UploadLoopAsync()
    {
        while (true)
        {
            long target;
            lock (gate)
            {
                if (stored == requested)
                {
                    uploading = false;
                    return;
                }
                target = requested;
            }
            try
            {
                // A worker that lost the run stores nothing: SaveAsync checks the lease again before it commits.
                if (!lease.Lost && await store.SaveAsync(lease.RunId, file, lease.Holder, CancellationToken.None) is not null) Uploads++;
                failure = null;
            }
            catch (Exception e)
            {
                // A busy or unreachable registry: the next checkpoint tries again; FlushAsync reports it if it was the last.
                failure = e;
                logger.LogWarning(e, "Run {RunId}: its checkpoint could not be stored in the registry", lease.RunId);
            }
            lock (gate) stored = target;
        }
    }

    /// <summary>Waits until every checkpoint saved so far has been uploaded; throws when the newest one could not be.</summary>
    public async Task FlushAsync()
    {
        Task pending;
        lock (gate) pending = running;
        await pending;
        if (failure is { } e)
            throw new InvalidOperationException($"The run's checkpoint could not be stored in the registry: {e.Message}", e);
    }
}
