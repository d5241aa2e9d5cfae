using PLaw.Registry.Runs;

namespace PLaw.Worker.Feed;

/// <summary>
/// The registry feed's memory, and the line between what this process already published on its <see cref="RunFeed"/> (its own
/// worker's points, its own catalog's changes and log lines) and what only the registry knows (other processes' writes).
/// It listens to the in-process feed so that nothing this process published goes out a second time.
/// </summary>
internal sealed class FeedState : IDisposable
{
    /// <summary>Set while this feed publishes, so its own messages are not taken for the process's.</summary>
    [ThreadStatic] private static bool publishing;

    private readonly RunFeed feed;
    private readonly Lock gate = new();
    private readonly Dictionary<int, WatchedRun> runs = [];
    /// <summary>Log lines this process published (run, time to the microsecond both databases keep, text), until the registry shows them.</summary>
    private readonly LinkedList<(int RunId, long Micros, string Text)> localLines = new();
    private const int LocalLinesKept = 2000;
    private readonly IDisposable subscription;

    public FeedState(RunFeed feed)
    {
        this.feed = feed;
        subscription = feed.Subscribe(OnLocal);
    }

    /// <summary>The host this process's workers write in <see cref="RunRecord.Host"/>: their runs' points are published in-process.</summary>
    public string LocalHost { get; } = RunHolder.ForThisProcess(TimeSpan.Zero).Host;

    public Lock Gate => gate;

    /// <summary>The run's memory; <paramref name="isNew"/> when the feed had none (call under <see cref="Gate"/>).</summary>
    public WatchedRun Get(int runId, out bool isNew)
    {
        isNew = !runs.TryGetValue(runId, out var run);
        if (isNew) runs[runId] = run = new WatchedRun();
        return run!;
    }

    /// <summary>
    /// Takes the run's row as read from the registry: its status and when it was first seen finished, and the change to publish
    /// when the row moved on (a new version) to something the feed has not carried yet; null when there is none.
    /// </summary>
    public RunChanged? Observe(RunRecord run, DateTime now)
    {
        lock (gate)
        {
            var watched = Get(run.Id, out _);
            RunChanged? changed = null;
            if (watched.Version != run.Version)
            {
                watched.Version = run.Version;
                var summary = RunSummary.Of(run);
                if (summary != watched.Summary) changed = new RunChanged(summary);
            }
            watched.Status = run.Status;
            watched.FinishedSeenUtc = run.Status.IsFinished() ? watched.FinishedSeenUtc ?? now : null;
            return changed;
        }
    }

    public IReadOnlyCollection<int> Watched
    {
        get { lock (gate) return runs.Keys.ToArray(); }
    }

    /// <summary>Forgets runs seen finished more than <paramref name="after"/> ago.</summary>
    public void ForgetFinished(DateTime now, TimeSpan after)
    {
        lock (gate)
            foreach (var (id, run) in runs.Where(r => r.Value.FinishedSeenUtc is { } seen && now - seen > after).ToList())
                runs.Remove(id);
    }

    /// <summary>True (and forgotten) when this process published the line itself.</summary>
    public bool PublishedLocally(int runId, DateTime timeUtc, string text)
    {
        var micros = Micros(timeUtc);
        lock (gate)
        {
            for (var node = localLines.First; node is not null; node = node.Next)
                if (node.Value.RunId == runId && node.Value.Micros == micros && node.Value.Text == text)
                {
                    localLines.Remove(node);
                    return true;
                }
        }
        return false;
    }

    public void Publish(RunFeedMessage message)
    {
        publishing = true;
        try { feed.Publish(message); }
        finally { publishing = false; }
        if (message is RunChanged changed)
            lock (gate) Get(changed.RunId, out _).Summary = changed.Run;
    }

    private void OnLocal(RunFeedMessage message)
    {
        if (publishing) return;
        lock (gate)
        {
            switch (message)
            {
                case RunChanged c:
                    Get(c.RunId, out _).Summary = c.Run;
                    break;
                case RunLogged l:
                    localLines.AddLast((l.RunId, Micros(l.TimeUtc), l.Text));
                    if (localLines.Count > LocalLinesKept) localLines.RemoveFirst();
                    break;
                case MetricsAppended m when runs.TryGetValue(m.RunId, out var run) && run.Marks is { } marks:
                    // This process's worker trains the run: its points are out already; a later holder's start above them.
                    foreach (var p in m.Points)
                        if (!marks.TryGetValue((p.Split, p.Name), out var step) || p.Step > step) marks[(p.Split, p.Name)] = p.Step;
                    break;
            }
        }
    }

    /// <summary>PostgreSQL keeps timestamps to the microsecond, .NET to 100 ns: lines are matched at the coarser.</summary>
    private static long Micros(DateTime utc) => utc.Ticks / 10;

    public void Dispose() => subscription.Dispose();
}
