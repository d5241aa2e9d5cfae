using PLaw.Data.Sequences;
using PLaw.Engine.Challenges;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Challenges;

/// <summary>
/// 30 items, 4 users of 14 items (13 of history, then the test target), two kinds: A = 1..13 then 30, B = 18..30 then 1
/// (users 0, 3 are A; 1, 2 are B). Half the users are new. Scores depend only on the number n of items fed: n = 5 scores
/// item j as j, n = 10 as −j, n = 13 (all they have, for 20 and 50) scores every item 0.
/// </summary>
public sealed class ColdStartChallengeTests
{
    private static SequenceSet Data()
    {
        int[] a = [.. Enumerable.Range(1, 13), 30];
        int[] b = [.. Enumerable.Range(18, 13), 1];
        return TableScorer.Data(30, a, b, b, a);
    }

    private static float[,] Table()
    {
        var t = new float[51, 31];
        for (var j = 0; j <= 30; j++)
        {
            t[5, j] = j;
            t[10, j] = -j;
        }
        return t;
    }

    [Fact]
    public void NewUsersAreScoredOnTheirLastNInteractionsWithCoverage()
    {
        using var scorer = TableScorer.Create(Data(), Table(), TableKey.InputLength, newUserShare: 0.5, seed: 42);
        // Seed 42's choice (checked so that the numbers below apply): user 1 (B) and user 3 (A).
        Assert.Equal([1, 3], ColdStartChallenge.Users(scorer));

        var r = ColdStartChallenge.Run(scorer, TableScorer.NoProgress(), CancellationToken.None);
        Assert.True(r.Available);
        Assert.Equal(2, r.NewUsers);
        Assert.Equal([5, 10, 20, 50], r.Lengths.Select(l => l.Length));
        Assert.Equal([5, 10, 20, 50], r.Lengths.Select(l => l.FedLength));
        Assert.All(r.Lengths, l => Assert.Equal(2, l.Users));
        Assert.Equal([0L, 0, 2, 2], r.Lengths.Select(l => l.ShorterUsers));
        // n = 5: A's target 30 is the best unmasked item (rank 1), B's target 1 is behind 2..17 (miss).
        // n = 10: the reverse. n = 13: all tie, each target behind its 16 other unmasked items (rank 17, miss).
        Assert.Equal([0.5, 0.5, 0, 0], r.Lengths.Select(l => l.HitRate10!.Value));
        Assert.Equal([0.5, 0.5, 0, 0], r.Lengths.Select(l => l.Ndcg10!.Value));
        // Top 10, n = 5: A 21..30, B 8..17; n = 10: A 14..23, B 1..10; n = 13 (ties, lower id first): A 14..23, B 1..10.
        // Each time 20 distinct items of 30.
        Assert.All(r.Lengths, l => Assert.Equal(20 / 30.0, l.Coverage10, 12));
    }

    [Fact]
    public void ShorterWindowsFeedTheWholeWindowAndCoverageCountsDistinctItems()
    {
        // Window L = 8: n = 10, 20, 50 all feed 8 items; table row 8 puts items 1..10 first for everyone, so both kinds
        // share part of the list: A (history 1..13 masked) gets 14..23, B gets 1..10 → still 20 of 30.
        var t = new float[51, 31];
        for (var j = 0; j <= 30; j++) t[8, j] = -j;
        using var scorer = TableScorer.Create(Data(), t, TableKey.InputLength, newUserShare: 0.5, maxLength: 8);
        var r = ColdStartChallenge.Run(scorer, TableScorer.NoProgress(), CancellationToken.None);
        Assert.Equal([5, 8, 8, 8], r.Lengths.Select(l => l.FedLength));
        Assert.Equal(20 / 30.0, r.Lengths[1].Coverage10, 12);
        Assert.Equal(0.5, r.Lengths[1].HitRate10); // B's target 1 is first; A's 30 is last
    }

    [Fact]
    public void WithoutNewUsersTheChallengeSaysSoInsteadOfNumbers()
    {
        using var scorer = TableScorer.Create(Data(), Table(), TableKey.InputLength, newUserShare: 0);
        var r = ColdStartChallenge.Run(scorer, TableScorer.NoProgress(), CancellationToken.None);
        Assert.False(r.Available);
        Assert.Contains("NewUserShare 0", r.Reason, StringComparison.Ordinal);
        Assert.Empty(r.Lengths);
        Assert.Equal(0, r.NewUsers);
    }

    [Fact]
    public void NewUsersAreKeptOutOfTrainingBatchesAndOrdinaryMetrics()
    {
        var data = TestData.Walks(users: 40);
        var split = new LeaveOneOutSplit(data);
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1, BatchSize = 8, Threads = 1, EvalUsers = 0, NewUserShare = 0.2 };
        var newUsers = TrainingStreams.NewUsers(split, options);
        Assert.Equal(8, newUsers.Length); // round(0.2 × 40 scored users)
        Assert.Equal(newUsers, TrainingStreams.NewUsers(split, options)); // the seed decides
        Assert.NotEqual(newUsers, TrainingStreams.NewUsers(split, options with { Seed = 43 }));

        var train = TrainingStreams.TrainUsers(split, options);
        Assert.Empty(train.Intersect(newUsers));
        Assert.Equal(32, train.Length);
        using var session = new TrainingSession(options, data);
        Assert.Equal(32, session.TrainUserCount);
        Assert.Equal(4, session.StepsPerEpoch); // 32 users in batches of 8, not 40 in 5
        var scored = session.Evaluator.Users(epoch: 1);
        Assert.Empty(scored.Intersect(newUsers));
        Assert.Equal(32, scored.Length);
        Assert.Equal(32, (int)session.Evaluate(test: true)["users"]);

        using var none = new TrainingSession(options with { NewUserShare = 0 }, data);
        Assert.Equal(40, none.TrainUserCount);
    }
}
