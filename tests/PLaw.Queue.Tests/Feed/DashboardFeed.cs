using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Registry;
using PLaw.Worker.Feed;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Queue.Tests.Feed;

/// <summary>
/// A dashboard's side of a registry, as PLaw.Web registers it: its own services (connection pool, in-process
/// <see cref="RunFeed"/>) with the <see cref="RegistryFeed"/> started, and everything its feed carries, in order.
/// </summary>
public sealed class DashboardFeed : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly RegistryFeed feed;
    private readonly IDisposable subscription;
    private readonly ConcurrentQueue<RunFeedMessage> messages = new();

    private DashboardFeed(ServiceProvider services)
    {
        this.services = services;
        feed = services.GetRequiredService<RegistryFeed>();
        subscription = services.GetRequiredService<RunFeed>().Subscribe(messages.Enqueue);
    }

    public static async Task<DashboardFeed> StartAsync(RegistryConnection connection, FeedSettings? settings = null)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(connection)
            .AddRegistryFeed(settings)
            .BuildServiceProvider();
        var dashboard = new DashboardFeed(services);
        await dashboard.feed.StartAsync(CancellationToken.None);
        await dashboard.feed.Ready.WaitAsync(TimeSpan.FromMinutes(1));
        return dashboard;
    }

    public IReadOnlyList<RunFeedMessage> Messages => messages.ToArray();

    public IReadOnlyList<MetricPoint> Points(int runId) => Messages.OfType<MetricsAppended>().Where(m => m.RunId == runId).SelectMany(m => m.Points).ToList();

    public IReadOnlyList<RunSummary> Changes(int runId) => Messages.OfType<RunChanged>().Where(m => m.RunId == runId).Select(m => m.Run).ToList();

    public IReadOnlyList<string> Lines(int runId) => Messages.OfType<RunLogged>().Where(m => m.RunId == runId).Select(m => m.Text).ToList();

    public string Describe(int runId) =>
        $"feed: {Messages.Count(m => m.RunId == runId)} messages, statuses [{string.Join(",", Changes(runId).Select(c => c.Status))}], " +
        $"lines [{string.Join(" | ", Lines(runId))}], loss steps [{string.Join(",", Points(runId).Where(p => p.Name == "loss").Select(p => p.Step))}]";

    public async ValueTask DisposeAsync()
    {
        subscription.Dispose();
        await feed.StopAsync(CancellationToken.None);
        await services.DisposeAsync();
    }
}
