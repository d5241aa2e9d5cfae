using PLaw.Registry.Runs;

namespace PLaw.Worker.Feed;

/// <summary>What the registry feed remembers of one run it watches.</summary>
internal sealed class WatchedRun
{
    /// <summary>The row version last read; -1 before the first read.</summary>
    public int Version = -1;

    /// <summary>The run as the feed last carried it (from this process or from the registry): a change only goes out when it differs.</summary>
    public RunSummary? Summary;

    /// <summary>The status last read: a run seen queued has no writer, so that is where its points' baseline is taken.</summary>
    public RunStatus? Status;

    /// <summary>
    /// PostgreSQL: the highest step published per (split, name) series. Points above it are new; a series missing here is new
    /// as a whole. Null until the run's baseline is taken. One sink writes a run's points, in step order within each series,
    /// so a step watermark per series misses nothing even when other runs' transactions commit out of order.
    /// </summary>
    public Dictionary<(string Split, string Name), long>? Marks;

    /// <summary>PostgreSQL: log lines with a larger id are new for this run (those in <see cref="EventsPublished"/> went out).</summary>
    public long EventsAfter;

    public readonly HashSet<long> EventsPublished = [];

    /// <summary>When the feed first saw it finished: it is forgotten a while later (after any late log line).</summary>
    public DateTime? FinishedSeenUtc;
}
