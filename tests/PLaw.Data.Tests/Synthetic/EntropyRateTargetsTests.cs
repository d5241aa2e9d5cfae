using PLaw.Data.Synthetic;

namespace PLaw.Data.Tests.Synthetic;

public sealed class EntropyRateTargetsTests
{
    private static readonly MarkovOptions Base = new(Users: 300, Items: 200, MinLength: 10, MaxLength: 30, Seed: 11);

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(4.0)]
    [InlineData(5.5)]
    public void EachTargetRateIsHitWithinTheToleranceAtTheSameSize(double target)
    {
        var found = EntropyRateTargets.Find(Base, target, toleranceBits: 0.01);
        Assert.InRange(found.RateBits, target - 0.01, target + 0.01);

        // The dataset generated at that concentration, at full size, has that chain: the rate does not depend on the users drawn.
        var data = MarkovSequenceGenerator.Generate(Base with { Concentration = found.Concentration });
        Assert.Equal(found.RateBits, data.EntropyRateBits, 12);
        Assert.Equal(Base.Users, data.Sequences.UserCount);
    }

    [Fact]
    public void HigherTargetsNeedHigherConcentrations()
    {
        var concentrations = new[] { 1.5, 3.0, 4.5 }.Select(t => EntropyRateTargets.Find(Base, t).Concentration).ToArray();
        Assert.True(concentrations[0] < concentrations[1] && concentrations[1] < concentrations[2], string.Join(", ", concentrations));
    }

    [Fact]
    public void ARateAboveWhatTheItemsCanCarryIsRefusedWithTheReachableRange()
    {
        var (_, max) = EntropyRateTargets.Range(Base);
        Assert.True(max < Math.Log2(Base.Items));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EntropyRateTargets.Find(Base, Math.Log2(Base.Items) + 0.5));
        Assert.Contains("200 items", e.Message);
    }
}
