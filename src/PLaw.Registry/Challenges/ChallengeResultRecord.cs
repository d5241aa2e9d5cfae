namespace PLaw.Registry.Challenges;

/// <summary>
/// A finished run's stored challenge report (LSRM §V, <see cref="PLaw.Engine.Challenges.ChallengeReport"/>): one row per run,
/// replaced when it is computed again, removed with the run (and so with a purged dataset).
/// </summary>
public sealed class ChallengeResultRecord
{
    /// <summary>The run scored; the key, so a run has at most one stored report.</summary>
    public int RunId { get; set; }

    /// <summary>The <see cref="PLaw.Engine.Challenges.ChallengeReport"/> as the registry's camelCase JSON.</summary>
    public required string ReportJson { get; set; }

    public DateTime ComputedUtc { get; set; }

    /// <summary>Test users the report scored (long tail, robustness, multi-domain).</summary>
    public int UsersScored { get; set; }

    /// <summary>The scorer's user cap (<c>--max-users</c>; 0 = all users).</summary>
    public int MaxUsers { get; set; }
}
