using PLaw.Engine.Ranking;

namespace PLaw.Engine.Tests.Ranking;

/// <summary>The ranking evaluation's metrics on a hand case, and what it leaves out when a metric is undefined.</summary>
public sealed class RankingMetricsTests
{
    [Fact]
    public void MetricsByHand()
    {
        double[] s = [0.9, 0.1, 0.2, 0.3, 0.8, 0.5, 0.7];
        bool[] y = [true, false, true, false, true, true, false];
        int[] u = [1, 1, 2, 2, 2, 3, 3];
        var m = RankingEvaluator.Metrics(s, y, u);
        // Pairs (positive, negative), 4 × 3 = 12: 0.9 beats all 3; 0.2 beats 0.1; 0.8 beats all 3; 0.5 beats 0.1, 0.3 → 9/12.
        Assert.Equal(9 / 12.0, m["AUC"], 15);
        // User 1: AUC 1 (2 impressions); user 2: 0.2, 0.8 against 0.3 → ½ (3); user 3: 0.5 < 0.7 → 0 (2).
        Assert.Equal((2 * 1 + 3 * 0.5) / 7, m["GAUC"], 15);
        var logLoss = s.Select((z, i) => y[i] ? Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))).Average();
        Assert.Equal(logLoss, m["LogLoss"], 12);
        Assert.Equal(7, m["impressions"]);
        Assert.Equal(4 / 7.0, m["positives"], 15);
        Assert.Equal(3, m["users"]);
    }

    [Fact]
    public void AucAndGaucAreLeftOutWhenUndefined()
    {
        // One class only: no AUC, no GAUC; LogLoss is still defined.
        var one = RankingEvaluator.Metrics([0.1, 0.2], [true, true], [1, 2]);
        Assert.False(one.ContainsKey("AUC"));
        Assert.False(one.ContainsKey("GAUC"));
        Assert.True(one.ContainsKey("LogLoss"));
        // Both classes, but no user has both: AUC, no GAUC.
        var split = RankingEvaluator.Metrics([0.1, 0.2], [false, true], [1, 2]);
        Assert.Equal(1, split["AUC"]);
        Assert.False(split.ContainsKey("GAUC"));
    }
}
