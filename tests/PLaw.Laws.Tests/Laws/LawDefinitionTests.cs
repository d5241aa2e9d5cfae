namespace PLaw.Laws.Tests.Laws;

public sealed class LawDefinitionTests
{
    [Fact]
    public void LsrmLossIsFloorPlusOneAtN0() => Assert.Equal(4.9 + 1, LsrmLaw.Loss(6.8e5, e: 4.9, n0: 6.8e5, alpha: 0.121), 12);

    [Fact]
    public void LsrmLossHalvesItsExcessWhenNGrowsByTwoToTheOneOverAlpha()
    {
        double e = 2, n0 = 1e6, alpha = 0.25, n = 1e5;
        var excess = LsrmLaw.Loss(n, e, n0, alpha) - e;
        Assert.Equal(excess / 2, LsrmLaw.Loss(n * Math.Pow(2, 1 / alpha), e, n0, alpha) - e, 12);
    }

    [Fact]
    public void KaplanWithUnlimitedDataIsThePowerLawInN() =>
        Assert.Equal(Math.Pow(8.8e13 / 1e9, 0.076), KaplanLaw.Loss(1e9, double.PositiveInfinity, nc: 8.8e13, dc: 5.4e13, alphaN: 0.076, alphaD: 0.095), 12);

    [Fact]
    public void ChinchillaAtTheHoffmannFitMatchesHandArithmetic()
    {
        // E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28 (Hoffmann et al. eq. 10) at N = 7e10, D = 1.4e12.
        var expected = 1.69 + 406.4 / Math.Pow(7e10, 0.34) + 410.7 / Math.Pow(1.4e12, 0.28);
        Assert.Equal(expected, ChinchillaLaw.Loss(7e10, 1.4e12, e: 1.69, a: 406.4, b: 410.7, alpha: 0.34, beta: 0.28), 12);
        Assert.InRange(expected, 1.93, 1.95);
    }

    [Fact]
    public void PerformanceTermIsMinusOneHalfAtOne() => Assert.Equal(-0.5, PerformanceLaw.Term(1, -0.37), 15);

    [Fact]
    public void PerformanceTermPeaksAtTwoToTheMinusOneOverW()
    {
        const double w = -0.25;
        var peak = PerformanceLaw.TermPeak(w);
        Assert.Equal(16, peak, 12);
        Assert.Equal(0, PerformanceLaw.TermByArgument(peak, w), 12);
        Assert.True(PerformanceLaw.Term(peak, w) > PerformanceLaw.Term(peak * 0.9, w));
        Assert.True(PerformanceLaw.Term(peak, w) > PerformanceLaw.Term(peak * 1.1, w));
    }

    [Fact]
    public void PerformanceLawAddsItsThreeTermsAndTheBias()
    {
        var p = new PerformanceLawParameters(0.5, 1.0, -0.3, -0.15, 0.2, 50, 1.2);
        var expected = 0.5 * (-1 / (2 * Math.Pow(8, -0.3)) + 0.3 * Math.Log(8))
                       + 1.0 * (-1 / (2 * Math.Pow(64, -0.15)) + 0.15 * Math.Log(64))
                       + (-1 / (2 * Math.Pow(50, 0.2)) - 0.2 * Math.Log(50)) + 1.2;
        Assert.Equal(expected, p.Value(8, 64), 12);
    }

    [Fact]
    public void JointLawIsThePerformanceLawAtDEqualsCTimesQuality()
    {
        var joint = new JointPerformanceLawParameters(0.5, 1.0, -0.3, -0.15, 0.2, C: 2e-4, B: 1.2);
        Assert.Equal(joint.ForDataset(250_000).Value(8, 64), joint.Value(8, 64, 250_000), 14);
        Assert.Equal(50, joint.ForDataset(250_000).D, 12);
    }

    [Fact]
    public void QualityAdjustedSizesDivideAndMultiplyTokens()
    {
        Assert.Equal(2_000, DataSize.TokensPerApen(1_000, 0.5), 12);
        Assert.Equal(500, DataSize.TokensTimesRealEntropy(1_000, 0.5), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSize.TokensPerApen(1_000, 0));
    }
}
