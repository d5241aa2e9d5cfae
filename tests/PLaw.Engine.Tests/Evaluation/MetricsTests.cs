using PLaw.Engine.Evaluation;

namespace PLaw.Engine.Tests.Evaluation;

public sealed class MetricsTests
{
    [Fact]
    public void RankCountsOnlyStrictlyHigherScoresSoTiesFavourTheTarget()
    {
        Assert.Equal(1, MetricSums.Rank([1f, 1f, 1f]));
        Assert.Equal(2, MetricSums.Rank([1f, 1f, 2f, 0.5f]));
        Assert.Equal(3, MetricSums.Rank([5f, 1f, 9f, 7f], target: 1) - 1);
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
