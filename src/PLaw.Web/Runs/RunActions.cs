using PLaw.Registry.Accounts;
using PLaw.Worker.Queue;
using PLaw.Registry.Runs;

namespace PLaw.Web.Runs;

/// <summary>
/// Cancel and re-queue as the dashboard does them: mark the run in the registry, stop it at once when this process trains
/// it, and (given who asked) write the audit entry. Callers check the role first.
/// </summary>
public sealed class RunActions(RunCatalog catalog, AuditLog audit, IServiceProvider services)
{
    /// <summary>Cancels and records it in <paramref name="actor"/>'s name (<paramref name="via"/>: how it came, e.g. the API and its token).</summary>
    public async Task<RunStatus> CancelAsync(int runId, string actor, string? via = null, CancellationToken ct = default)
    {
        var status = await catalog.CancelAsync(runId, ct);
        services.GetService<RunQueueWorker>()?.TryCancelLocal(runId);
        // A run that had already finished is left as it was: nothing to record.
        var detail = status switch
        {
            RunStatus.Cancelled => "cancelled before it started",
            RunStatus.Running => "cancel requested: it stops after its current step",
            _ => null,
        };
        if (detail is not null) await audit.WriteAsync(actor, AuditActions.Cancelled, AuditSubjects.Run, runId, Detail(detail, via), ct);
        return status;
    }

    /// <summary>Re-queues a failed or cancelled run (it continues from its checkpoint), recorded in <paramref name="actor"/>'s name.</summary>
    public async Task RequeueAsync(int runId, string actor, string? via = null, CancellationToken ct = default)
    {
        await catalog.RequeueAsync(runId, ct);
        await audit.WriteAsync(actor, AuditActions.Requeued, AuditSubjects.Run, runId, Detail("continues from its checkpoint", via), ct);
    }

    private static string Detail(string what, string? via) => via is null ? what : $"{what} ({via})";
}
