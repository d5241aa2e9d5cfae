using PLaw.Engine.Challenges;

namespace PLaw.Engine.Tests.Challenges;

/// <summary>
/// k = 3 on 10 items. After input item i the scorer prefers i+1, then i+2, … (score 10 − ((j − i − 1) mod 10)), except
/// that after 3 it prefers 7 (12) and after 5 it prefers 5 again (11). Generation (greedy, fed back, no history, no repeats):
///   user 0: history 1 2, truth 3 4 5 → 3, 7 (after 3), 8          → in truth: 1 0 0; same position: 1 0 0
///   user 1: history 6 1, truth 3 5 2 → 2, 3, 7                    → in truth: 1 1 0; same position: 0 0 0
///   user 2: history 3 2, truth 4 6 8 → 4 (3 is history), 5, 6 (5 already generated) → 1 0 1; same position: 1 0 0
/// Position curve: 3/3, 1/3, 1/3; TR@3 = 5/9. Exact: 2/3, 0, 0.
/// </summary>
public sealed class TrajectoryChallengeTests
{
    private static float[,] Table()
    {
        var t = new float[11, 11];
        for (var i = 1; i <= 10; i++)
            for (var j = 1; j <= 10; j++) t[i, j] = 10 - (((j - i - 1) % 10) + 10) % 10;
        t[3, 7] = 12;
        t[5, 5] = 11;
        return t;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GreedyGenerationFeedsBackAndScoresTrAndThePositionCurve(int threads)
    {
        var data = TableScorer.Data(10, [1, 2, 3, 4, 5], [6, 1, 3, 5, 2], [3, 2, 4, 6, 8]);
        using var scorer = TableScorer.Create(data, Table(), TableKey.LastItem, threads);
        var r = TrajectoryChallenge.Run(scorer, [0, 1, 2], "test users", TableScorer.NoProgress(), CancellationToken.None, k: 3);
        Assert.Equal(3, r.K);
        Assert.Equal(3, r.Users);
        Assert.Equal([1.0, 1 / 3.0, 1 / 3.0], r.PositionHitRate, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(5 / 9.0, r.TR!.Value, 12);
        Assert.Equal([2 / 3.0, 0, 0], r.ExactPositionHitRate, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void TheWindowSlidesOverGeneratedItemsWhenTheyFillIt()
    {
        // L = 2: by step 3 the input is the two generated items only; the scorer reads the newest, so the result is as above.
        var data = TableScorer.Data(10, [1, 2, 3, 4, 5], [6, 1, 3, 5, 2], [3, 2, 4, 6, 8]);
        using var scorer = TableScorer.Create(data, Table(), TableKey.LastItem, maxLength: 2);
        var r = TrajectoryChallenge.Run(scorer, [0, 1, 2], "test users", TableScorer.NoProgress(), CancellationToken.None, k: 3);
        Assert.Equal(5 / 9.0, r.TR!.Value, 12);
    }

    [Fact]
    public void UsersNeedKPlusOneItemsAndAreTheNewUsersWhenThereAreAny()
    {
        var data = TableScorer.Data(10, [1, 2, 3, 4, 5], [6, 1, 3], [3, 2, 4, 6, 8], [1, 2, 3, 4, 5]);
        using (var scorer = TableScorer.Create(data, Table(), TableKey.LastItem))
        {
            var (users, population) = TrajectoryChallenge.Users(scorer, [0, 1, 2, 3], k: 3);
            Assert.Equal([0, 2, 3], users);
            Assert.StartsWith("trained users", population, StringComparison.Ordinal);
        }
        using (var scorer = TableScorer.Create(data, Table(), TableKey.LastItem, newUserShare: 0.5))
        {
            var (users, population) = TrajectoryChallenge.Users(scorer, [0, 1, 2, 3], k: 3);
            var newUsers = ColdStartChallenge.Users(scorer);
            Assert.Equal(newUsers.Where(u => u != 1), users);
            Assert.StartsWith("new users", population, StringComparison.Ordinal);
        }
    }
}
