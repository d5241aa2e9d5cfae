using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using PLaw.Registry.Runs;

namespace PLaw.Web.Runs;

/// <summary>What the hub sends: every run's status changes to everyone; metric batches and log lines to a run's watchers.</summary>
public interface IRunsClient
{
    Task RunChanged(RunSummary run);
    Task MetricsAppended(int runId, IReadOnlyList<MetricPoint> points);
    Task RunLogged(int runId, DateTime timeUtc, string text);
}

/// <summary>
/// <c>/hubs/runs</c>, for clients outside the dashboard (<c>plaw watch</c>, a notebook). The dashboard's own pages subscribe
/// to the in-process <see cref="RunFeed"/> instead: Blazor Server already rides a SignalR circuit. Viewers and up (a read
/// token will do); in Local mode everyone.
/// </summary>
[Authorize(Policy = PLaw.Registry.Accounts.Roles.Viewer)]
public sealed class RunsHub(HubWatches watches) : Hub<IRunsClient>
{
    public const string Path = "/hubs/runs";

    public static string Group(int runId) => $"run-{runId}";

    /// <summary>Receive this run's metric points and log lines from now on; at most <see cref="HubWatches.MaxPerConnection"/> runs per connection.</summary>
    public async Task Watch(int runId)
    {
        if (runId <= 0) throw new HubException($"Run id {runId} is not a run; ids start at 1.");
        if (!watches.TryAdd(Context.ConnectionId, runId))
            throw new HubException($"This connection watches {HubWatches.MaxPerConnection} runs already; Unwatch one first.");
        await Groups.AddToGroupAsync(Context.ConnectionId, Group(runId));
    }

    public async Task Unwatch(int runId)
    {
        watches.Remove(Context.ConnectionId, runId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(runId));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        watches.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Forwards the run feed to hub clients.</summary>
public sealed class RunsHubBridge(RunFeed feed, IHubContext<RunsHub, IRunsClient> hub, ILogger<RunsHubBridge> logger) : IHostedService
{
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = feed.Subscribe(message => _ = ForwardAsync(message));
        return Task.CompletedTask;
    }

    private async Task ForwardAsync(RunFeedMessage message)
    {
        try
        {
            await (message switch
            {
                RunChanged c => hub.Clients.All.RunChanged(c.Run),
                MetricsAppended m => hub.Clients.Group(RunsHub.Group(m.RunId)).MetricsAppended(m.RunId, m.Points),
                RunLogged l => hub.Clients.Group(RunsHub.Group(l.RunId)).RunLogged(l.RunId, l.TimeUtc, l.Text),
                _ => Task.CompletedTask,
            });
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not forward a {Message} for run {RunId} to hub clients", message.GetType().Name, message.RunId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }
}
