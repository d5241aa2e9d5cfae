namespace PLaw.Engine.Challenges;

/// <summary>Where a challenge computation is: the task under way and the units done of all tasks asked (a unit is one
/// scored input: a user at one input length, one perturbation, or one generation step).</summary>
public sealed record ChallengeStatus(string Task, long Done, long Total)
{
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Done / Total, 0, 1);
}

/// <summary>Counts finished units across workers; worker 0 reports (the others only count), so the target sees one thread.</summary>
public sealed class ChallengeProgress(IProgress<ChallengeStatus>? target, long total)
{
    private long _done;

    public string Task { get; set; } = "";
    public long Total => total;
    public long Done => Interlocked.Read(ref _done);

    public void Advance(int worker, long units)
    {
        var done = Interlocked.Add(ref _done, units);
        if (worker == 0) target?.Report(new ChallengeStatus(Task, done, total));
    }

    /// <summary>Reports the current count (from the calling thread).</summary>
    public void Flush() => target?.Report(new ChallengeStatus(Task, Done, total));
}
