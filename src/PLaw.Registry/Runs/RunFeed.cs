namespace PLaw.Registry.Runs;

/// <summary>What the run feed carries: status changes, batches of new metric points, event-log lines.</summary>
public abstract record RunFeedMessage(int RunId);

public sealed record RunChanged(RunSummary Run) : RunFeedMessage(Run.Id);

public sealed record MetricsAppended(int RunId, IReadOnlyList<MetricPoint> Points) : RunFeedMessage(RunId);

public sealed record RunLogged(int RunId, DateTime TimeUtc, string Text) : RunFeedMessage(RunId);

/// <summary>
/// In-process broadcaster of run activity (the eShop notification-service pattern): the queue worker publishes, dashboard
/// components and the SignalR hub bridge subscribe. Metric points arrive already batched (a few messages a second per run).
/// </summary>
public sealed class RunFeed
{
    private readonly Lock gate = new();
    private Action<RunFeedMessage>[] listeners = [];

    public IDisposable Subscribe(Action<RunFeedMessage> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (gate) listeners = [.. listeners, listener];
        return new Subscription(this, listener);
    }

    public void Publish(RunFeedMessage message)
    {
        // A listener that throws (a torn-down circuit) must not stop the others or the trainer.
        foreach (var listener in Volatile.Read(ref listeners))
        {
            try { listener(message); }
            catch (ObjectDisposedException) { }
            catch (InvalidOperationException) { }
        }
    }

    private void Unsubscribe(Action<RunFeedMessage> listener)
    {
        lock (gate) listeners = listeners.Where(l => l != listener).ToArray();
    }

    private sealed class Subscription(RunFeed feed, Action<RunFeedMessage> listener) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(listener);
    }
}
