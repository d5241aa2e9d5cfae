using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;
using PLaw.Registry.Workers;

namespace PLaw.Worker.Queue;

/// <summary>
/// Trains queued runs from the registry, <see cref="PLawOptions.MaxConcurrentRuns"/> at a time, each under a lease it
/// heartbeats (<see cref="HeldRun"/>). At start-up and then every heartbeat interval, runs whose worker's lease has expired
/// (a crash, a killed process, a lost machine) go back to the queue and resume from their checkpoints; runs a live worker
/// trains, in this process or another, are left alone. Cancel requests are seen within a poll interval, whether they come
/// from the dashboard (at once, in-process) or the CLI (through the registry). Checkpoints go where PLaw:Checkpoints says
/// (<see cref="CheckpointPlacement"/>): in the registry, a run's checkpoint is fetched before it resumes and stored after
/// every save, so any worker resumes it.
/// </summary>
public sealed class RunQueueWorker(
    RunCatalog catalog, MetricStore metrics, DatasetCatalog datasets, RunFeed feed, IOptions<PLawOptions> options,
    ILogger<RunQueueWorker> logger, CheckpointStore? checkpoints = null, WorkerRegistry? workers = null) : BackgroundService
{
    // Every host of the worker (the dashboard, `plaw worker`) trains on both backends; installing loads nothing until a
    // run asks for torch.
    static RunQueueWorker() => TorchBackend.Install();

    private readonly ConcurrentDictionary<int, CancellationTokenSource> running = new();
    private readonly RunHolder holder = RunHolder.ForThisProcess(TimeSpan.FromMilliseconds(options.Value.LeaseMilliseconds));

    /// <summary>Where this worker keeps checkpoints (PLaw:Checkpoints; unset: the registry on PostgreSQL, local files on SQLite).</summary>
    public CheckpointPlacement Checkpoints { get; } = PlaceCheckpoints(options.Value, checkpoints);

    private static CheckpointPlacement PlaceCheckpoints(PLawOptions settings, CheckpointStore? store)
    {
        var placement = CheckpointPlacement.Resolve(settings.Checkpoints, store?.Provider ?? RegistryProvider.Sqlite, settings.RunsDirectory);
        if (placement.InRegistry && store is null)
            throw new InvalidOperationException("PLaw:Checkpoints is registry, but this worker was given no checkpoint store.");
        return placement;
    }

    /// <summary>This worker's id in the runs it holds (<see cref="RunRecord.WorkerId"/>).</summary>
    public string WorkerId => holder.WorkerId;

    /// <summary>Stops a run this process is training at the end of its current step (it checkpoints first).</summary>
    public bool TryCancelLocal(int runId)
    {
        if (!running.TryGetValue(runId, out var cts)) return false;
        cts.Cancel();
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        Directory.CreateDirectory(settings.RunsDirectory);
        Directory.CreateDirectory(Checkpoints.Directory);
        logger.LogInformation("Worker {WorkerId}: {Checkpoints}", holder.WorkerId, Checkpoints.Describe());
        await RecoverAsync(stoppingToken);
        var recoveredAt = DateTime.UtcNow;

        // Never longer than a heartbeat interval: the worker's own heartbeat and the recovery below run from this loop.
        var poll = TimeSpan.FromMilliseconds(Math.Min(settings.QueuePollMilliseconds, holder.HeartbeatInterval.TotalMilliseconds));
        using var wake = feed.Subscribe(m => { if (m is RunChanged { Run.Status: RunStatus.Queued or RunStatus.Running }) Signal(); });
        // One slot per configured device (PLaw:Devices), else MaxConcurrentRuns slots without a device of their own.
        var devices = settings.DeviceList;
        if (devices.FirstOrDefault(d => !DeviceNames.IsValid(d) || d == DeviceNames.Auto) is { } bad)
            throw new InvalidOperationException($"PLaw:Devices: '{bad}' is not one of cpu, cuda, cuda:N (the list was '{settings.Devices}').");
        var slots = devices.Count > 0 ? devices.Cast<string?>().ToArray() : new string?[Math.Max(settings.MaxConcurrentRuns, 1)];
        var busy = new Task?[slots.Length];
        if (devices.Count > 0) logger.LogInformation("Training on {Devices}: one run per device at once", string.Join(", ", devices));
        if (workers is not null) await workers.RegisterAsync(WorkerRecord.ForThisProcess(holder, devices, slots.Length), holder.Lease, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Taken before the claims: a run that finishes (and signals) while this pass claims and polls wakes the
                // wait below at once, rather than a poll interval later.
                var wakeUp = Volatile.Read(ref signal).Task;
                for (var slot = 0; slot < busy.Length; slot++)
                {
                    if (busy[slot] is { IsCompleted: false }) continue;
                    busy[slot] = null;
                    if (await catalog.ClaimNextAsync(holder, stoppingToken) is not { } run) break;
                    busy[slot] = TrainAsync(run, slots[slot], stoppingToken);
                }
                await PollCancelRequestsAsync(stoppingToken);
                if (DateTime.UtcNow - recoveredAt >= holder.HeartbeatInterval)
                {
                    await RecoverAsync(stoppingToken);
                    await HeartbeatWorkerAsync(stoppingToken);
                    recoveredAt = DateTime.UtcNow;
                }
                await WaitAsync(wakeUp, poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while claiming or polling: fall through and wait for the runs, as below.
        }
        // Shutting down: running runs were cancelled by stoppingToken; they checkpoint and stay "running" for recovery.
        // Waiting for them here is what makes the host's StopAsync (SIGTERM, Ctrl+C) return only after the checkpoints.
        await Task.WhenAll(busy.OfType<Task>());
        await StopWorkerAsync();
    }

    /// <summary>Renews this worker's own heartbeat (one UPDATE); a failure is retried at the next beat, as a run's heartbeat is.</summary>
    private async Task HeartbeatWorkerAsync(CancellationToken ct)
    {
        if (workers is null) return;
        try { await workers.HeartbeatAsync(holder.WorkerId, holder.Lease, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Worker heartbeat failed; retrying"); }
    }

    /// <summary>Marks this worker stopped once its runs have checkpointed (a graceful stop; a killed worker shows as lost instead).</summary>
    private async Task StopWorkerAsync()
    {
        if (workers is null) return;
        try { await workers.StopAsync(holder.WorkerId, CancellationToken.None); }
        catch (Exception e) { logger.LogWarning(e, "Could not mark worker {WorkerId} stopped; it shows as lost once its lease ends", holder.WorkerId); }
    }

    /// <summary>Re-queues the runs of workers whose lease has expired; a re-queued run wakes the claim loop through the feed.</summary>
    private async Task RecoverAsync(CancellationToken ct)
    {
        var recovered = await catalog.RecoverAbandonedAsync(ct);
        if (recovered.Count > 0)
            logger.LogWarning("Re-queued {Count} runs whose worker's lease had expired: {RunIds}", recovered.Count, recovered);
    }

    private TaskCompletionSource signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal() => Interlocked.Exchange(ref signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private static async Task WaitAsync(Task wakeUp, TimeSpan poll, CancellationToken ct)
    {
        try { await Task.WhenAny(Task.Delay(poll, ct), wakeUp); }
        catch (OperationCanceledException) { }
    }

    private async Task PollCancelRequestsAsync(CancellationToken ct)
    {
        foreach (var (runId, cts) in running)
            if (!cts.IsCancellationRequested && await catalog.IsCancelRequestedAsync(runId, ct))
                cts.Cancel();
    }

    /// <summary>The study's early-stopping gate for a run of a study trained under ASHA; null for any other run.</summary>
    private async Task<AshaGate?> AshaGateAsync(RunRecord run, RunOptions runOptions, MetricSink sink, CancellationTokenSource cts)
    {
        if (run.StudyId is not { } studyId || await catalog.FindStudyAsync(studyId, CancellationToken.None) is not { } study) return null;
        if (RegistryJson.Deserialize<StudyGrid>(study.GridJson).Asha is not { } asha) return null;
        return new AshaGate(run.Id, studyId, runOptions.Epochs, asha, catalog, metrics, sink, cts);
    }

    /// <summary>Waits for the run's last checkpoint to reach the registry (it resumes from there); a failure is logged, not thrown.
    /// True when the registry has it.</summary>
    private async Task<bool> StoreLastCheckpointAsync(CheckpointUploader? uploads, int runId)
    {
        if (uploads is null) return false;
        try
        {
            await uploads.FlushAsync();
            return true;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId}: its last checkpoint is not in the registry; it resumes from the one before", runId);
            return false;
        }
    }

    /// <summary>
    /// Removes the working copy of a run that ended here once the registry holds its last checkpoint: readers on any host
    /// load the registry's copy (<see cref="CheckpointLocator"/>), and a worker that trains the run again downloads it. Kept
    /// when the registry has no copy (then the file is the only one) and for runs interrupted by shutdown (they resume here).
    /// </summary>
    private void RemoveWorkingCopy(int runId)
    {
        var folder = Path.GetDirectoryName(Checkpoints.PathFor(runId))!;
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Run {RunId}: its working checkpoint copy {Folder} could not be removed", runId, folder);
        }
    }

    /// <param name="device">The worker slot's device (PLaw:Devices), given to a run whose own device is auto; null: the run's own.</param>
    private async Task TrainAsync(RunRecord run, string? device, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        running[run.Id] = cts;
        await using var lease = new HeldRun(run.Id, holder, catalog, cts, logger);
        var settings = options.Value;
        var checkpoint = Checkpoints.PathFor(run.Id);
        MetricSink? sink = null;
        AshaGate? gate = null;
        CheckpointUploader? uploads = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
            // In the registry: resume from its copy (trained on any host), downloaded unless this host's file is that copy.
            var fetched = Checkpoints.InRegistry ? await checkpoints!.FetchAsync(run.Id, checkpoint, cts.Token) : CheckpointFetch.NotInRegistry;
            var resuming = File.Exists(checkpoint);
            await catalog.LogAsync(run.Id, $"started on {holder.Host} (attempt {run.Attempts}, worker {holder.WorkerId})" +
                                           (resuming ? ", resuming from its checkpoint" : "") +
                                           (fetched == CheckpointFetch.Downloaded ? " (downloaded from the registry)" : ""), CancellationToken.None);
            await lease.UpdateAsync(r => r.CheckpointPath = checkpoint);
            var runOptions = RunJson.Options(run);
            // The native engine has no CUDA: a native run in a CUDA slot keeps its own (CPU) device.
            if (device is not null && runOptions.Device == DeviceNames.Auto && !(runOptions.Backend == TrainingBackends.Native && DeviceNames.IsCuda(device)))
                runOptions = runOptions with { Device = device };
            var data = await datasets.LoadSequencesAsync(run.DatasetId, cts.Token);
            // Queued elsewhere (a bigger machine, another catalogue size) or before the check existed: fail with the reason
            // rather than run this process out of memory.
            if (MemoryEstimate.Problem(runOptions, data.ItemCount) is { } memory) throw new InvalidOperationException(memory);
            sink = new MetricSink(lease, runOptions, metrics, catalog, feed, TimeSpan.FromMilliseconds(settings.MetricFlushMilliseconds));
            gate = await AshaGateAsync(run, runOptions, sink, cts);
            IProgress<TrainingEvent> progress = gate is null ? sink : gate;
            if (Checkpoints.InRegistry) progress = uploads = new CheckpointUploader(progress, checkpoints!, lease, checkpoint, logger);
            var context = new TrainerContext(checkpoint, Resume: true);
            var result = await Task.Run(() => Trainer.RunAsync(runOptions, data, context, progress, cts.Token), CancellationToken.None);
            await sink.DisposeAsync();
            sink = null;
            // The final checkpoint is in the registry before the run says completed: readers on any host find it.
            if (uploads is not null) await uploads.FlushAsync();
            if (!await lease.UpdateAsync(r =>
                {
                    r.Status = RunStatus.Completed;
                    r.FinishedUtc = DateTime.UtcNow;
                    r.EpochsDone = r.Epochs;
                    r.LeaseExpiresUtc = null;
                    RunResults.SetTestMetrics(r, result.FinalMetrics);
                }))
            {
                logger.LogWarning("Run {RunId} finished here after its lease was lost; its new holder's result stands", run.Id);
                return;
            }
            await catalog.LogAsync(run.Id, $"completed in {result.Elapsed.TotalSeconds:F1} s on {result.Backend} ({result.Device}" +
                (result.Backend == TrainingBackends.Native ? $", GEMM: {result.GemmBackend})" : ")"), CancellationToken.None);
            if (uploads is not null) RemoveWorkingCopy(run.Id);
            logger.LogInformation("Run {RunId} completed in {Seconds:F1} s", run.Id, result.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            if (sink is not null) await sink.DisposeAsync();
            var stored = await StoreLastCheckpointAsync(uploads, run.Id);
            if (lease.Lost)
            {
                // Another worker holds the run now (HeldRun logged how it was lost); it is not ours to mark.
            }
            else if (gate?.Stopped is { } decision)
            {
                // The study's rule stopped it at a rung, after that epoch's checkpoint; the gate logged the rung, value and cut-off.
                if (await lease.UpdateAsync(r => { r.Status = RunStatus.StoppedEarly; r.FinishedUtc = DateTime.UtcNow; r.LeaseExpiresUtc = null; }) && stored)
                    RemoveWorkingCopy(run.Id);
                logger.LogInformation("Run {RunId} stopped early at epoch {Epoch} (ASHA rank {Rank} of {Reached})", run.Id, decision.Rung,
                    decision.Rank, decision.Reached);
            }
            else if (stoppingToken.IsCancellationRequested)
            {
                // The process is stopping, not the user: leave the run "running" with its lease ended, so the next start (or
                // any other worker, at once) re-queues it to resume from the checkpoint just written.
                logger.LogInformation("Run {RunId} interrupted by shutdown; it resumes at the next start", run.Id);
                await catalog.ReleaseAsync(run.Id, holder, CancellationToken.None);
                await catalog.LogAsync(run.Id, "interrupted by shutdown; resumes at the next start", CancellationToken.None);
            }
            else
            {
                if (await lease.UpdateAsync(r => { r.Status = RunStatus.Cancelled; r.FinishedUtc = DateTime.UtcNow; r.LeaseExpiresUtc = null; }) && stored)
                    RemoveWorkingCopy(run.Id);
                await catalog.LogAsync(run.Id, "cancelled; its checkpoint and history are kept (re-queue to continue)", CancellationToken.None);
                logger.LogInformation("Run {RunId} cancelled", run.Id);
            }
        }
        catch (Exception e)
        {
            if (sink is not null)
            {
                try { await sink.DisposeAsync(); }
                catch (Exception flushError) { logger.LogError(flushError, "Run {RunId}: metrics could not be written", run.Id); }
            }
            logger.LogError(e, "Run {RunId} failed", run.Id);
            var stored = await StoreLastCheckpointAsync(uploads, run.Id);
            if (await lease.UpdateAsync(r => { r.Status = RunStatus.Failed; r.FinishedUtc = DateTime.UtcNow; r.Error = e.Message; r.LeaseExpiresUtc = null; }))
            {
                if (stored) RemoveWorkingCopy(run.Id);
                await catalog.LogAsync(run.Id, $"failed: {e.GetType().Name}: {e.Message}", CancellationToken.None);
            }
        }
        finally
        {
            running.TryRemove(run.Id, out _);
            Signal();
        }
    }
}
