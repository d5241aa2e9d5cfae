using PLaw.Data.Sequences;
using PLaw.Engine.Challenges;

namespace PLaw.Engine.Tests.Challenges;

/// <summary>
/// 16 items, 6 users of 4 items (train = the first two, validation the third, test the fourth). Training counts: item 1 ×5,
/// 2 ×4, 3, 4, 5 ×1, the rest 0, so G1 = {1, 2, 3, 4}, G2 = {5..8}, G3 = {9..12}, G4 = {13..16}. Every input scores item j
/// as −j, so a target t ranks 1 + #{j &lt; t not among the user's first three items}: the masked history is what lifts it.
/// </summary>
public sealed class LongTailChallengeTests
{
    private static readonly int[][] Sequences =
    [
        [1, 2, 3, 12], // t 12 (G3): 4..11 ahead → rank 9
        [1, 2, 4, 11], // t 11 (G3): 3, 5..10 → rank 8
        [1, 3, 5, 2],  // t 2 (G1): none → rank 1
        [2, 4, 6, 7],  // t 7 (G2): 1, 3, 5 → rank 4
        [1, 5, 7, 4],  // t 4 (G1): 2, 3 → rank 3
        [2, 1, 3, 15], // t 15 (G4): 4..14 → rank 12
    ];

    internal static SequenceSet Data() => TableScorer.Data(16, Sequences);

    internal static float[,] ScoreIsMinusItemId(int items)
    {
        var t = new float[items + 1, items + 1];
        for (var k = 0; k <= items; k++)
            for (var j = 0; j <= items; j++) t[k, j] = -j;
        return t;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EachGroupHasTheHandComputedHitRateAndNdcg(int threads)
    {
        using var scorer = TableScorer.Create(Data(), ScoreIsMinusItemId(16), TableKey.LastItem, threads);
        var r = LongTailChallenge.Run(scorer, [0, 1, 2, 3, 4, 5], TableScorer.NoProgress(), CancellationToken.None);
        Assert.Equal(["G1", "G2", "G3", "G4"], r.Groups.Select(g => g.Group));
        Assert.All(r.Groups, g => Assert.Equal(4, g.Items));
        Assert.Equal([5L, 1, 0, 0], r.Groups.Select(g => g.MaxTrainingCount));
        Assert.Equal([1L, 0, 0, 0], r.Groups.Select(g => g.MinTrainingCount));
        Assert.Equal([2L, 1, 2, 1], r.Groups.Select(g => g.Users));

        Assert.Equal(1.0, r.Groups[0].HitRate10);  // ranks 1 and 3
        Assert.Equal((1 + 1 / Math.Log2(4)) / 2, r.Groups[0].Ndcg10!.Value, 12);
        Assert.Equal(1.0, r.Groups[1].HitRate10);  // rank 4
        Assert.Equal(1 / Math.Log2(5), r.Groups[1].Ndcg10!.Value, 12);
        Assert.Equal(1.0, r.Groups[2].HitRate10);  // ranks 9 and 8
        Assert.Equal((1 / Math.Log2(10) + 1 / Math.Log2(9)) / 2, r.Groups[2].Ndcg10!.Value, 12);
        Assert.Equal(0.0, r.Groups[3].HitRate10);  // rank 12
        Assert.Equal(0.0, r.Groups[3].Ndcg10);
    }

    [Fact]
    public void AGroupWithoutTestTargetsHasNoNumbers()
    {
        using var scorer = TableScorer.Create(Data(), ScoreIsMinusItemId(16), TableKey.LastItem);
        var r = LongTailChallenge.Run(scorer, [0, 1], TableScorer.NoProgress(), CancellationToken.None);
        Assert.Equal([0L, 0, 2, 0], r.Groups.Select(g => g.Users));
        Assert.Null(r.Groups[0].HitRate10);
        Assert.Null(r.Groups[3].Ndcg10);
    }
}
