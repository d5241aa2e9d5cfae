using PLaw.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Worker.Feed;

/// <summary>
/// Turns what other processes write to the registry (a <c>plaw worker</c> on another machine, the CLI, another dashboard's
/// worker) into this process's <see cref="RunFeed"/> messages, so pages and the SignalR hub stream every run whoever trains it:
/// PostgreSQL LISTEN/NOTIFY (triggers of migration RunFeedNotify), or a cheap poll of a SQLite registry. What this process
/// publishes itself (its own worker's points, its catalog's changes and log lines) never goes out twice.
/// </summary>
public sealed class RegistryFeed(IDbContextFactory<RegistryDbContext> factory, RegistryConnection connection, RunFeed feed,
    FeedSettings settings, ILogger<RegistryFeed> logger) : BackgroundService
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the feed has taken its baseline: anything written after that is published.</summary>
    public Task Ready => ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribed before the first await, that is within StartAsync: the process's own messages are known from the start.
        using var state = new FeedState(feed);
        if (connection.Provider == RegistryProvider.Postgres)
        {
            await new PostgresListener(connection.ConnectionString, new PostgresFeedReader(factory, state), settings, logger)
                .RunAsync(ready, stoppingToken);
            return;
        }
        var poller = new SqliteFeedPoller(factory, state);
        await RetryAsync(poller.BaselineAsync, stoppingToken);
        ready.TrySetResult();
        using var timer = new PeriodicTimer(settings.SqlitePoll);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RetryAsync(poller.PollAsync, stoppingToken);
                state.ForgetFinished(DateTime.UtcNow, TimeSpan.FromMinutes(1));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>A busy or briefly unreadable registry file: logged, and the next poll tries again.</summary>
    private async Task RetryAsync(Func<CancellationToken, Task> read, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await read(ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Live feed: reading the registry failed; trying again");
                await Task.Delay(settings.SqlitePoll, ct);
            }
        }
    }
}
