using PLaw.Engine.Challenges;

namespace PLaw.Registry.Challenges;

/// <summary>A run's challenge report as the registry holds it: the report, when it was computed, and with which user cap.</summary>
public sealed record StoredChallengeReport(int RunId, ChallengeReport Report, DateTime ComputedUtc, int UsersScored, int MaxUsers)
{
    /// <summary>
    /// False when the run finished after the report was computed (it was trained further since, so its checkpoint changed):
    /// such a report is shown as missing and computed again.
    /// </summary>
    public bool IsCurrentFor(DateTime? runFinishedUtc) => runFinishedUtc is not { } finished || finished <= ComputedUtc;

    /// <summary>
    /// True when scoring with user cap <paramref name="maxUsers"/> would score the same users as this report did: the same cap,
    /// or this report scored all users and the cap would too. Runs compared against size should share their scored users.
    /// </summary>
    public bool Covers(int maxUsers) => maxUsers == MaxUsers ||
                                        (Report.UsersScored == Report.ScoredUsers && (maxUsers == 0 || maxUsers >= Report.ScoredUsers));
}
