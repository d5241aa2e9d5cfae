namespace PLaw.Engine.Challenges;

/// <summary>
/// The LSRM §V challenge tasks for one model (a finished run's checkpoint): a section per task asked, null when not asked.
/// Every number is finite; a metric with no user behind it is null. System.Text.Json-serialisable.
/// </summary>
public sealed record ChallengeReport
{
    public required string Model { get; init; }
    public required int Items { get; init; }

    /// <summary>Ordinary (non-new) scored users, and how many the report scored (a seeded subset beyond <see cref="ChallengeRunner.DefaultMaxUsers"/>).</summary>
    public required int ScoredUsers { get; init; }
    public required int UsersScored { get; init; }

    public LongTailResult? LongTail { get; init; }
    public ColdStartResult? ColdStart { get; init; }
    public RobustnessResult? Robustness { get; init; }
    public TrajectoryResult? Trajectory { get; init; }
    public MultiDomainResult? MultiDomain { get; init; }
}
