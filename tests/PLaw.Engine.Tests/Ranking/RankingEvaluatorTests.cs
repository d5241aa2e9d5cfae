using PLaw.Data.Sequences;
using PLaw.Engine.Ranking;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Ranking;

/// <summary>Held-out impressions are scored from the history alone: never from their own label nor another held-out one's.</summary>
public sealed class RankingEvaluatorTests
{
    private static readonly RunOptions Options = new()
    {
        Model = ModelFamily.Hstu, Task = RunTask.Ranking, Layers = 1, Dim = 8, Heads = 2, MaxLength = 16, Dropout = 0, Threads = 2, Seed = 3,
    };

    /// <summary>The same sequences with the labels at <paramref name="flip"/>(user, position in the user's sequence) flipped.</summary>
    private static SequenceSet Flipped(SequenceSet data, Func<int, int, bool> flip)
    {
        var labels = (bool[])data.Labels!.Clone();
        for (var u = 0; u < data.UserCount; u++)
            for (var k = 0; k < data.Length(u); k++)
                if (flip(u, k)) labels[data.Offsets[u] + k] ^= true;
        return data.WithLabels(labels);
    }

    private static double[] Scores(SequenceSet data, bool test)
    {
        using var session = new RankingSession(Options, data); // the same seed: the same initial weights
        return session.Evaluator.Score(test, session.Split.ScoredUsers).Scores;
    }

    [Fact]
    public void TestScoresDependOnTrainingAndValidationActionsButOnNoTestLabel()
    {
        var data = RankingData.Walks();
        var split = new RankingSplit(data);
        var baseline = Scores(data, test: true);
        Assert.Equal(baseline, Scores(Flipped(data, (u, k) => k >= split.HeldOutStart(u, test: true)), test: true));
        Assert.NotEqual(baseline, Scores(Flipped(data, (u, k) => k == split.HeldOutStart(u, test: true) - 1), test: true));
    }

    [Fact]
    public void ValidationScoresDependOnTrainingActionsButOnNoValidationOrTestLabel()
    {
        var data = RankingData.Walks();
        var split = new RankingSplit(data);
        var baseline = Scores(data, test: false);
        Assert.Equal(baseline, Scores(Flipped(data, (u, k) => k >= split.HeldOutStart(u, test: false)), test: false));
        Assert.NotEqual(baseline, Scores(Flipped(data, (u, k) => k == split.HeldOutStart(u, test: false) - 1), test: false));
    }
}
