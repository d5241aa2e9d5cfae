using PLaw.Engine.Evaluation.Ranking;

namespace PLaw.Engine.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    /// <summary>The definition, pair by pair: a positive above a negative counts 1, a tie ½.</summary>
    private static double NaiveAuc(double[] s, bool[] y)
    {
        double wins = 0, pairs = 0;
        for (var i = 0; i < s.Length; i++)
            for (var j = 0; j < s.Length; j++)
                if (y[i] && !y[j])
                {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
        return wins / pairs;
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 200)]
    [InlineData(3, 1_000)]
    public void AucEqualsTheNaivePairwiseCountWithTies(int seed, int n)
    {
        var random = new Random(seed);
        // Scores on a coarse grid, so that many ties fall between and within classes.
        var s = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 8) / 4).ToArray();
        var y = s.Select(v => random.NextDouble() < 0.2 + v / 4).ToArray();
        y[0] = true;
        y[1] = false;
        Assert.Equal(NaiveAuc(s, y), ClassificationMetrics.Auc(s, y), 12);
    }

    [Fact]
    public void AucByHand()
    {
        // positives 0.9, 0.4; negatives 0.4, 0.1: pairs (0.9>0.4) 1, (0.9>0.1) 1, (0.4=0.4) ½, (0.4>0.1) 1 → 3.5/4.
        Assert.Equal(0.875, ClassificationMetrics.Auc([0.9, 0.4, 0.4, 0.1], [true, true, false, false]), 15);
        Assert.Equal(0.5, ClassificationMetrics.Auc([1, 1, 1], [true, false, false]), 15); // a constant scorer is chance
        Assert.Throws<InvalidOperationException>(() => ClassificationMetrics.Auc([1, 2], [true, true]));
    }

    [Fact]
    public void GaucWeightsEachUsersAucByImpressionsAndSkipsOneClassUsers()
    {
        double[] s = [0.9, 0.1, 0.2, 0.3, 0.8, 0.5, 0.7];
        bool[] y = [true, false, true, false, true, true, false];
        int[] u = [1, 1, 2, 2, 2, 3, 3];
        // user 1: AUC 1 (2 impressions); user 2: positives 0.2, 0.8 vs 0.3 → ½ (3 impressions); user 3: 0.5 < 0.7 → 0 (2).
        Assert.Equal((2 * 1 + 3 * 0.5 + 2 * 0) / 7.0, ClassificationMetrics.Gauc(s, y, u), 15);
        // A user with only positives does not count.
        Assert.Equal((2 * 1 + 3 * 0.5 + 2 * 0) / 7.0, ClassificationMetrics.Gauc([.. s, 0.0], [.. y, true], [.. u, 4]), 15);
    }

    [Fact]
    public void LogLossByHandAndNonFiniteScoresFail()
    {
        // σ(0) = ½ → ln 2 either way; σ(ln 3) = ¾ → −ln ¾ for a positive, −ln ¼ for a negative.
        var expected = (Math.Log(2) + Math.Log(2) - Math.Log(0.75) - Math.Log(0.25)) / 4;
        Assert.Equal(expected, ClassificationMetrics.LogLoss([0, 0, Math.Log(3), Math.Log(3)], [true, false, true, false]), 12);
        var e = Assert.Throws<InvalidOperationException>(() => ClassificationMetrics.LogLoss([0, double.NaN], [true, false]));
        Assert.Contains("Score 1 is NaN", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ClassificationMetrics.Auc([double.PositiveInfinity, 0], [true, false]));
    }
}
