using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Challenges;

/// <summary>
/// Computes the asked challenge tasks with one scorer, reporting progress and stopping at the next block when cancelled.
/// Long tail, robustness and multi-domain score the ordinary test users (the held-out new users excluded, as in the run's own test
/// metrics), at most <paramref name="maxUsers"/> of them (a seeded subset, ascending; 0 = all), as the evaluator's EvalUsers does.
/// </summary>
public static class ChallengeRunner
{
    public const int DefaultMaxUsers = 10_000;
    private const ulong SubsetStream = 0xC4A1;

    public static ChallengeReport Run(ChallengeScorer scorer, ChallengeTasks tasks, IProgress<ChallengeStatus>? progress = null,
        CancellationToken ct = default, int maxUsers = DefaultMaxUsers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxUsers);
        var scored = TrainingStreams.ScoredUsers(scorer.Split, scorer.Options);
        var users = Subset(scored, maxUsers, scorer.Options.Seed);
        var newUsers = ColdStartChallenge.Users(scorer);
        var (trajectoryUsers, population) = TrajectoryChallenge.Users(scorer, users);
        long total = 0;
        if (tasks.HasFlag(ChallengeTasks.LongTail)) total += users.Length;
        if (tasks.HasFlag(ChallengeTasks.ColdStart)) total += (long)newUsers.Length * ColdStartChallenge.Lengths.Length;
        if (tasks.HasFlag(ChallengeTasks.Robustness)) total += (long)users.Length * RobustnessChallenge.UnitsPerUser;
        if (tasks.HasFlag(ChallengeTasks.Trajectory)) total += trajectoryUsers.Length;
        if (tasks.HasFlag(ChallengeTasks.MultiDomain) && MultiDomainChallenge.Unavailable(scorer.Data) is null) total += users.Length;
        var counter = new ChallengeProgress(progress, total);
        counter.Flush();
        var report = new ChallengeReport
        {
            Model = scorer.Options.DisplayName,
            Items = scorer.ItemCount,
            ScoredUsers = scored.Length,
            UsersScored = users.Length,
            LongTail = tasks.HasFlag(ChallengeTasks.LongTail) ? LongTailChallenge.Run(scorer, users, counter, ct) : null,
            ColdStart = tasks.HasFlag(ChallengeTasks.ColdStart) ? ColdStartChallenge.Run(scorer, counter, ct) : null,
            Robustness = tasks.HasFlag(ChallengeTasks.Robustness) ? RobustnessChallenge.Run(scorer, users, counter, ct) : null,
            Trajectory = tasks.HasFlag(ChallengeTasks.Trajectory) ? TrajectoryChallenge.Run(scorer, trajectoryUsers, population, counter, ct) : null,
            MultiDomain = tasks.HasFlag(ChallengeTasks.MultiDomain) ? MultiDomainChallenge.Run(scorer, users, counter, ct) : null,
        };
        counter.Task = "done";
        counter.Flush();
        return report;
    }

    /// <summary>All of <paramref name="users"/>, or a seeded random <paramref name="max"/> of them, ascending.</summary>
    public static int[] Subset(int[] users, int max, int seed)
    {
        if (max == 0 || users.Length <= max) return users;
        return TrainingStreams.Sample(users, max, seed, SubsetStream);
    }
}
