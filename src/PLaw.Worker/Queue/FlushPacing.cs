namespace PLaw.Worker.Queue;

/// <summary>
/// How long the metric sink waits between flushes. A flush costs a fixed part (a transaction, the run's row, a commit) and a
/// part per point; the sink measures what each flush cost its thread in CPU and waits long enough that the writer stays
/// within <see cref="CpuBudget"/> of one core: interval = flush CPU ÷ budget (smoothed). With fast, short steps a flush
/// carries many points, costs more, and the interval grows, so there are fewer, larger flushes; with slow steps it stays at
/// the floor. Bounded by <see cref="Floor"/> (the configured PLaw:MetricFlushMilliseconds) and <see cref="Ceiling"/>
/// (500 ms, or the floor when that is longer): watchers see points within about half a second.
/// </summary>
public sealed class FlushPacing
{
    /// <summary>The writer's share of one core it aims to stay within: 0.25 %, well under the ≤ 1–3 % overhead the
    /// training may pay for its history.</summary>
    public const double CpuBudget = 0.0025;

    public static readonly TimeSpan MaxLatency = TimeSpan.FromMilliseconds(500);

    public FlushPacing(TimeSpan floor)
    {
        if (floor <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(floor), floor, "The flush interval must be positive.");
        Floor = floor;
        Ceiling = floor > MaxLatency ? floor : MaxLatency;
        Interval = floor;
    }

    public TimeSpan Floor { get; }

    public TimeSpan Ceiling { get; }

    /// <summary>The wait before the next flush.</summary>
    public TimeSpan Interval { get; private set; }

    /// <summary>Takes a flush's measured CPU time into the interval (half the old interval, half the new estimate, so one
    /// slow flush does not swing it).</summary>
    public void Flushed(TimeSpan cpu)
    {
        var wanted = cpu / CpuBudget;
        var next = (Interval + wanted) / 2;
        Interval = next < Floor ? Floor : next > Ceiling ? Ceiling : next;
    }
}
