using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PLaw.Registry.Sweeps;

/// <summary>A sweep being generated in this process: its latest progress, and the error when it failed or was cancelled.</summary>
public sealed record EntropySweepJob(int SweepId, EntropySweepProgress Progress, bool Done, string? Error);

/// <summary>
/// Generates sweeps in the background for the dashboard, so leaving the page does not stop them; training then goes through the
/// normal queue worker. <see cref="Changed"/> fires on every progress report (throttled by the caller's rendering).
/// </summary>
public sealed class EntropySweepJobs(EntropySweeps sweeps, ILogger<EntropySweepJobs> logger)
{
    private readonly ConcurrentDictionary<int, (EntropySweepJob Job, CancellationTokenSource Cancel)> jobs = new();

    public event Action<EntropySweepJob>? Changed;

    public EntropySweepJob? Find(int sweepId) => jobs.TryGetValue(sweepId, out var entry) ? entry.Job : null;

    /// <summary>Stores the sweep row and starts generating; returns its id at once. Bad requests throw before anything is stored.</summary>
    public async Task<int> StartAsync(EntropySweepRequest request, CancellationToken ct = default)
    {
        var record = await sweeps.StartAsync(request, ct);
        var cancel = new CancellationTokenSource();
        var initial = new EntropySweepJob(record.Id, new EntropySweepProgress("starting", 0, request.RatesBits.Length, 0, ""), false, null);
        jobs[record.Id] = (initial, cancel);
        _ = Task.Run(async () =>
        {
            var progress = new ForwardedProgress<EntropySweepProgress>(p => Update(record.Id, j => j with { Progress = p }));
            try
            {
                await sweeps.GenerateAsync(record.Id, progress, cancel.Token);
                Update(record.Id, j => j with { Done = true });
            }
            catch (Exception e)
            {
                if (e is not OperationCanceledException) logger.LogError(e, "Entropy sweep {SweepId} failed", record.Id);
                Update(record.Id, j => j with { Done = true, Error = e is OperationCanceledException ? "cancelled; its datasets were removed" : e.Message });
            }
            finally
            {
                cancel.Dispose();
            }
        }, CancellationToken.None);
        return record.Id;
    }

    /// <summary>Stops a sweep this process is generating; what it made so far is removed. False when it is not generating here.</summary>
    public bool Cancel(int sweepId)
    {
        if (!jobs.TryGetValue(sweepId, out var entry) || entry.Job.Done) return false;
        try { entry.Cancel.Cancel(); }
        catch (ObjectDisposedException) { return false; }
        return true;
    }

    private void Update(int sweepId, Func<EntropySweepJob, EntropySweepJob> change)
    {
        EntropySweepJob job;
        while (true)
        {
            var current = jobs[sweepId];
            job = change(current.Job);
            if (jobs.TryUpdate(sweepId, (job, current.Cancel), current)) break;
        }
        Changed?.Invoke(job);
    }
}
