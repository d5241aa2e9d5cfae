using System.Collections.Concurrent;

namespace PLaw.Web.Runs;

/// <summary>
/// Which runs each hub connection watches, so one connection cannot grow the server's group tables without bound
/// (500,000 <c>Watch</c> calls once cost 445 MB). A connection's set goes when it disconnects.
/// </summary>
public sealed class HubWatches
{
    /// <summary>Far more runs than a person or a notebook follows live; a client wanting every run listens to RunChanged.</summary>
    public const int MaxPerConnection = 256;

    private readonly ConcurrentDictionary<string, HashSet<int>> byConnection = new();

    /// <summary>False when the connection is at its limit; watching a run twice counts once.</summary>
    public bool TryAdd(string connectionId, int runId)
    {
        var runs = byConnection.GetOrAdd(connectionId, _ => []);
        lock (runs)
        {
            if (runs.Contains(runId)) return true;
            if (runs.Count >= MaxPerConnection) return false;
            runs.Add(runId);
            return true;
        }
    }

    public void Remove(string connectionId, int runId)
    {
        if (!byConnection.TryGetValue(connectionId, out var runs)) return;
        lock (runs) runs.Remove(runId);
    }

    public void Forget(string connectionId) => byConnection.TryRemove(connectionId, out _);

    public int Count(string connectionId)
    {
        if (!byConnection.TryGetValue(connectionId, out var runs)) return 0;
        lock (runs) return runs.Count;
    }
}
