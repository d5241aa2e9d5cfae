using PLaw.Data.Sequences;
using PLaw.Engine.Challenges;

namespace PLaw.Engine.Tests.Challenges;

/// <summary>
/// 16 items, 5 users of 4 items (train = the first two, validation the third, test the fourth). Training counts: item 1 ×4,
/// 2 ×3, 3, 4, 5 ×1, the rest 0, so G1 = {1, 2, 3, 4}, G2 = {5..8}, G3 = {9..12}, G4 = {13..16}. Every input scores item j
/// as j, so a target t ranks 1 + #{j &gt; t not in the user's first three items}.
/// </summary>
public sealed class LongTailChallengeTests
{
    private static readonly int[][] Sequences =
    [
        [1, 2, 3, 12], // t 12 (G3): 13..16 ahead → rank 5
        [1, 2, 4, 11], // t 11 (G3): 12..16 → rank 6
        [1, 3, 5, 2],  // t 2 (G1): 4, 6..16 → rank 13
        [2, 4, 6, 7],  // t 7 (G2): 8..16 → rank 10
        [1, 5, 7, 4],  // t 4 (G1): 6, 8..16 → rank 11
    ];

    internal static SequenceSet Data() => TableScorer.Data(16, Sequences);

    internal static float[,] ScoreIsItemId(int items)
    {
        var t = new float[items + 1, items + 1];
        for (var k = 0; k <= items; k++)
            for (var j = 0; j <= items; j++) t[k, j] = j;
        return t;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EachGroupHasTheHandComputedHitRateAndNdcg(int threads)
    {
        using var scorer = TableScorer.Create(Data(), ScoreIsItemId(16), TableKey.LastItem, threads);
        var r = LongTailChallenge.Run(scorer, [0, 1, 2, 3, 4], TableScorer.NoProgress(), CancellationToken.None);
        Assert.Equal(["G1", "G2", "G3", "G4"], r.Groups.Select(g => g.Group));
        Assert.All(r.Groups, g => Assert.Equal(4, g.Items));
        Assert.Equal([4L, 1, 0, 0], r.Groups.Select(g => g.MaxTrainingCount));
        Assert.Equal([1L, 0, 0, 0], r.Groups.Select(g => g.MinTrainingCount));
        Assert.Equal([2L, 1, 2, 0], r.Groups.Select(g => g.Users));

        Assert.Equal(0.0, r.Groups[0].HitRate10);  // ranks 13 and 11
        Assert.Equal(0.0, r.Groups[0].Ndcg10);
        Assert.Equal(1.0, r.Groups[1].HitRate10);  // rank 10
        Assert.Equal(1 / Math.Log2(11), r.Groups[1].Ndcg10!.Value, 12);
        Assert.Equal(1.0, r.Groups[2].HitRate10);  // ranks 5 and 6
        Assert.Equal((1 / Math.Log2(6) + 1 / Math.Log2(7)) / 2, r.Groups[2].Ndcg10!.Value, 12);
        Assert.Null(r.Groups[3].HitRate10);        // no test target in the tail
        Assert.Null(r.Groups[3].Ndcg10);
    }
}
