namespace PLaw.Worker.Feed;

/// <summary>How often the registry feed looks (<see cref="RegistryFeed"/>).</summary>
public sealed record FeedSettings
{
    /// <summary>SQLite: the poll of new points, events and run changes. Each poll is a few indexed range reads.</summary>
    public TimeSpan SqlitePoll { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>PostgreSQL: the slow poll behind LISTEN/NOTIFY, for anything a lost notification would leave unread.</summary>
    public TimeSpan PostgresFallbackPoll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>PostgreSQL: the longest wait before reconnecting the listener after its connection was lost.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);
}
