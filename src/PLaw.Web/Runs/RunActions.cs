using PLaw.Registry.Queue;
using PLaw.Registry.Runs;

namespace PLaw.Web.Runs;

/// <summary>Cancel as the dashboard does it: mark the run in the registry, and stop it at once when this process trains it.</summary>
public sealed class RunActions(RunCatalog catalog, IServiceProvider services)
{
    public async Task<RunStatus> CancelAsync(int runId, CancellationToken ct = default)
    {
        var status = await catalog.CancelAsync(runId, ct);
        services.GetService<RunQueueWorker>()?.TryCancelLocal(runId);
        return status;
    }
}
