using System.Text.Json;
using PLaw.Engine.Challenges;

namespace PLaw.Engine.Tests.Challenges;

public sealed class ChallengeRunnerTests
{
    private sealed class Recorder : IProgress<ChallengeStatus>
    {
        public readonly List<ChallengeStatus> Seen = [];
        public void Report(ChallengeStatus value)
        {
            lock (Seen) Seen.Add(value);
        }
    }

    [Fact]
    public void AllTasksReportProgressToTheTotalAndSerialise()
    {
        // The long-tail data (6 users, no new users): long tail 6 + robustness 6 × 7 + trajectory 0 (no user has k + 1 = 11 items).
        using var scorer = TableScorer.Create(LongTailChallengeTests.Data(), LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem);
        var seen = new Recorder();
        var report = ChallengeRunner.Run(scorer, ChallengeTasks.All, seen);
        Assert.Equal(48, seen.Seen[^1].Total);
        Assert.Equal(48, seen.Seen[^1].Done);
        Assert.Equal(1.0, seen.Seen[^1].Fraction);
        Assert.False(report.ColdStart!.Available);
        Assert.Equal(0, report.Trajectory!.Users);
        Assert.Null(report.Trajectory.TR);
        Assert.False(report.MultiDomain!.Available); // no item domains: no units either
        Assert.Equal(6, report.UsersScored);
        var json = JsonSerializer.Serialize(report);
        Assert.Contains("\"LongTail\"", json, StringComparison.Ordinal);
        Assert.Equal(report.LongTail!.Groups[2].Ndcg10, JsonSerializer.Deserialize<ChallengeReport>(json)!.LongTail!.Groups[2].Ndcg10);
    }

    [Fact]
    public void ACancelledRunStopsWithOperationCanceled()
    {
        using var scorer = TableScorer.Create(LongTailChallengeTests.Data(), LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ChallengeRunner.Run(scorer, ChallengeTasks.LongTail, null, cts.Token));
    }

    [Fact]
    public void TaskNamesParseAndUnknownOnesAreNamed()
    {
        Assert.Equal(ChallengeTasks.LongTail | ChallengeTasks.Trajectory, ChallengeTaskNames.Parse("longtail, Trajectory"));
        Assert.Equal(ChallengeTasks.ColdStart, ChallengeTaskNames.Parse("cold-start"));
        Assert.Equal(ChallengeTasks.MultiDomain, ChallengeTaskNames.Parse("multi-domain"));
        var e = Assert.Throws<ArgumentException>(() => ChallengeTaskNames.Parse("longtail,ranking"));
        Assert.Contains("'ranking' is not a challenge task; valid: longtail, coldstart, robustness, trajectory, multidomain.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubsetIsSeededSortedAndOnlyTakenBeyondTheCap()
    {
        int[] users = [.. Enumerable.Range(0, 100)];
        Assert.Same(users, ChallengeRunner.Subset(users, 0, 1));
        Assert.Same(users, ChallengeRunner.Subset(users, 100, 1));
        var a = ChallengeRunner.Subset(users, 10, 1);
        Assert.Equal(10, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.Equal(a, ChallengeRunner.Subset(users, 10, 1));
        Assert.NotEqual(a, ChallengeRunner.Subset(users, 10, 2));
    }
}
