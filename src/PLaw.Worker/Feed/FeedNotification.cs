namespace PLaw.Worker.Feed;

/// <summary>
/// What the PostgreSQL triggers of migration RunFeedNotify send on channel <see cref="Channel"/>: "p:1,2" (metric points of
/// runs 1 and 2 were inserted by one statement), "e:3" (a line was added to run 3's event log), "r:4" (run 4 was queued or
/// changed), "p:*" (points of more runs than a payload holds: read every active run).
/// </summary>
public readonly record struct FeedNotification(char Kind, IReadOnlyList<int> RunIds, bool AllRuns)
{
    public const string Channel = "plaw_feed";

    public const char Points = 'p';
    public const char Events = 'e';
    public const char Runs = 'r';

    /// <summary>The notification, or null for a payload these triggers do not send (another writer on the channel).</summary>
    public static FeedNotification? Parse(string payload)
    {
        if (payload.Length < 3 || payload[1] != ':' || payload[0] is not (Points or Events or Runs)) return null;
        var body = payload.AsSpan(2);
        if (body is "*") return new FeedNotification(payload[0], [], AllRuns: true);
        var ids = new List<int>();
        foreach (var range in body.Split(','))
        {
            if (!int.TryParse(body[range], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                return null;
            ids.Add(id);
        }
        return new FeedNotification(payload[0], ids, AllRuns: false);
    }
}
