using Microsoft.Extensions.Logging;
using Npgsql;

namespace PLaw.Worker.Feed;

/// <summary>
/// LISTEN on <see cref="FeedNotification.Channel"/> over a connection of its own. Notifications that arrive together are read
/// as one batch; without any for <see cref="FeedSettings.PostgresFallbackPoll"/> every active run is read anyway. A lost
/// connection is reopened (waiting longer after each failure, up to <see cref="FeedSettings.MaxReconnectDelay"/>) and
/// followed by a read of every active run, for what was written while nobody listened.
/// </summary>
internal sealed class PostgresListener(string connectionString, PostgresFeedReader reader, FeedSettings settings, ILogger logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);

    public async Task RunAsync(TaskCompletionSource ready, CancellationToken ct)
    {
        var retry = FirstRetry;
        var baselined = false;
        // Its own physical connection: a pooled one would be reset (UNLISTEN) when handed back. Keepalives notice a dead peer.
        var listening = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 5 }.ConnectionString;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listening);
                var pending = new PendingRuns();
                connection.Notification += (_, e) => pending.Add(e.Payload);
                await connection.OpenAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN {FeedNotification.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                // Listening first, then reading: nothing written in between is lost.
                if (!baselined)
                {
                    await reader.BaselineAsync(ct);
                    baselined = true;
                    ready.TrySetResult();
                }
                else
                {
                    logger.LogInformation("Live feed: listening again on {Channel}; reading what was written meanwhile", FeedNotification.Channel);
                    await reader.ReadAsync(null, ct);
                }
                retry = FirstRetry;
                var nextPoll = DateTime.UtcNow + settings.PostgresFallbackPoll;
                while (!ct.IsCancellationRequested)
                {
                    var wait = nextPoll - DateTime.UtcNow;
                    if (wait <= TimeSpan.Zero || !await connection.WaitAsync(wait, ct))
                    {
                        await reader.ReadAsync(null, ct);
                        nextPoll = DateTime.UtcNow + settings.PostgresFallbackPoll;
                        continue;
                    }
                    // Take what else is already on the wire into the same batch (a worker's flush notifies points and the run).
                    while (await connection.WaitAsync(TimeSpan.FromMilliseconds(1), ct)) { }
                    var (runs, all) = pending.Take();
                    if (all) nextPoll = DateTime.UtcNow + settings.PostgresFallbackPoll;
                    await reader.ReadAsync(all ? null : runs, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Live feed: the PostgreSQL listener failed; reconnecting in {Delay} ms", retry.TotalMilliseconds);
                try { await Task.Delay(retry, ct); }
                catch (OperationCanceledException) { return; }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, settings.MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>The runs named by notifications not read yet.</summary>
    private sealed class PendingRuns
    {
        private readonly Lock gate = new();
        private HashSet<int> runs = [];
        private bool all;

        public void Add(string payload)
        {
            if (FeedNotification.Parse(payload) is not { } notification) return;
            lock (gate)
            {
                all |= notification.AllRuns;
                runs.UnionWith(notification.RunIds);
            }
        }

        public (IReadOnlyCollection<int> Runs, bool All) Take()
        {
            lock (gate)
            {
                var taken = (runs, all);
                (runs, all) = ([], false);
                return taken;
            }
        }
    }
}
