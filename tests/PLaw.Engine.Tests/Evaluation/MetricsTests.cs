using PLaw.Engine.Evaluation;

namespace PLaw.Engine.Tests.Evaluation;

public sealed class MetricsTests
{
    [Fact]
    public void RankCountsTiesAgainstTheTarget()
    {
        // 1 + #(other candidates scoring at least as high): a constant scorer ranks last, not first.
        Assert.Equal(3, MetricSums.Rank([1f, 1f, 1f], target: 0));
        Assert.Equal(3, MetricSums.Rank([1f, 1f, 2f, 0.5f], target: 0));
        Assert.Equal(4, MetricSums.Rank([5f, 1f, 9f, 7f], target: 1));
        Assert.Equal(1, MetricSums.Rank([0f, 3f, float.NegativeInfinity], target: 1)); // masked items (−∞) never count
        Assert.Equal(2, MetricSums.Rank([0f, 3f, 3f], target: 2));
    }

    [Fact]
    public void SampledRankCountsTiesAgainstTheTargetButNotDrawnCopiesOfIt()
    {
        // Target item 7 scores 2. Item 7 drawn again (2): the target itself. Item 9 (2): a tie, counts. Item 4 (3): higher.
        Assert.Equal(3, MetricSums.Rank([2f, 2f, 2f, 3f, 1f], [7, 7, 9, 4, 5]));
        Assert.Equal(101, MetricSums.Rank(new float[101], Enumerable.Range(1, 101).ToArray()));
        Assert.Equal(1, MetricSums.Rank(new float[4], [3, 3, 3, 3]));
    }

    [Fact]
    public void FirstNonFiniteFindsNaNAndInfinitiesButNotLargeFiniteScores()
    {
        Assert.Equal(1, MetricSums.FirstNonFinite([1f, float.NaN, 2f]));
        Assert.Equal(2, MetricSums.FirstNonFinite([1f, 2f, float.PositiveInfinity, float.NaN]));
        Assert.Equal(0, MetricSums.FirstNonFinite([float.NegativeInfinity]));
        Assert.Equal(-1, MetricSums.FirstNonFinite([float.MaxValue, float.MaxValue, -1f])); // the sum overflows; no score does
        Assert.Equal(-1, MetricSums.FirstNonFinite([]));
        Assert.Equal(-1, MetricSums.FirstNonFinite(Enumerable.Range(0, 1000).Select(i => (float)i).ToArray()));
    }

    [Fact]
    public void HitRateNdcgAndMrrFollowTheirDefinitions()
    {
        var sums = new MetricSums();
        sums.Add(1, 0.5);
        sums.Add(3, 1.5);
        sums.Add(11, 2.5);
        var m = sums.ToDictionary();
        Assert.Equal(1 / 3.0, m["HR@1"], 12);
        Assert.Equal(2 / 3.0, m["HR@5"], 12);
        Assert.Equal(2 / 3.0, m["HR@10"], 12);
        Assert.Equal(1.0, m["HR@20"], 12);
        Assert.Equal((1 + 1 / Math.Log2(4)) / 3, m["NDCG@10"], 12);
        Assert.Equal((1 + 1 / Math.Log2(4) + 1 / Math.Log2(12)) / 3, m["NDCG@50"], 12);
        Assert.Equal((1 + 1 / 3.0 + 1 / 11.0) / 3, m["MRR"], 12);
        Assert.Equal(1.5, m["loss"], 12);
        Assert.Equal(3, m["users"]);
    }
}
