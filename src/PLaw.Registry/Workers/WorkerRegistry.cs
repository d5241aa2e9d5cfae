using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Workers;

/// <summary>
/// The workers that train runs from this registry, in any process on any machine: each registers when it starts, renews its
/// heartbeat with one UPDATE every third of its lease, and marks itself stopped when it shuts down gracefully. One that dies
/// without stopping shows as lost once its lease has passed. Workers stopped or lost longer than <see cref="Retention"/> are
/// deleted when a worker registers, so restarts do not pile up.
/// </summary>
public sealed class WorkerRegistry(IDbContextFactory<RegistryDbContext> factory)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>Adds <paramref name="worker"/>, started and heartbeating now, and forgets workers gone longer than <see cref="Retention"/>.</summary>
    public async Task RegisterAsync(WorkerRecord worker, TimeSpan lease, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        worker.StartedUtc = worker.HeartbeatUtc = now;
        worker.LeaseExpiresUtc = now + lease;
        worker.StoppedUtc = null;
        var forgotten = now - Retention;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Workers.Where(w => (w.StoppedUtc != null && w.StoppedUtc < forgotten) || (w.StoppedUtc == null && w.LeaseExpiresUtc < forgotten))
            .ExecuteDeleteAsync(ct);
        db.Workers.Add(worker);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Renews the worker's heartbeat and lease; false when it is not registered or has stopped.</summary>
    public async Task<bool> HeartbeatAsync(string workerId, TimeSpan lease, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var expires = now + lease;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Workers.Where(w => w.Id == workerId && w.StoppedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.HeartbeatUtc, now).SetProperty(w => w.LeaseExpiresUtc, expires), ct) == 1;
    }

    /// <summary>Marks the worker stopped (a graceful shutdown); false when it is not registered or had stopped already.</summary>
    public async Task<bool> StopAsync(string workerId, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Workers.Where(w => w.Id == workerId && w.StoppedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.StoppedUtc, now), ct) == 1;
    }

    /// <summary>
    /// Every worker with its state now and the runs it holds (running runs with its id; none once it stopped), live first, then lost, then stopped,
    /// each by host and start. Two queries, whatever the number of workers.
    /// </summary>
    public async Task<IReadOnlyList<WorkerSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var workers = await db.Workers.AsNoTracking().ToListAsync(ct);
        var running = RunStatus.Running;
        var held = await db.Runs.AsNoTracking().Where(r => r.Status == running && r.WorkerId != null)
            .OrderBy(r => r.Id)
            .Select(r => new { r.WorkerId, Run = new WorkerRun(r.Id, r.Name, r.EpochsDone, r.Epochs, r.StepsDone, r.Device) })
            .ToListAsync(ct);
        var byWorker = held.ToLookup(h => h.WorkerId!, h => h.Run);
        var now = DateTime.UtcNow;
        // A stopped worker released its runs as it stopped (they wait, "running", for the next worker to re-queue them); a lost
        // worker's runs are listed with it until then.
        return workers.Select(w => WorkerSummary.Of(w, now, w.StoppedUtc is null ? byWorker[w.Id].ToList() : []))
            .OrderBy(w => w.State).ThenBy(w => w.Host, StringComparer.Ordinal).ThenByDescending(w => w.StartedUtc).ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList();
    }
}
