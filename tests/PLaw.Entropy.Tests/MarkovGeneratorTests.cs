using PLaw.Data.Synthetic;

namespace PLaw.Entropy.Tests;

public sealed class MarkovGeneratorTests
{
    [Fact]
    public void SameSeedGivesTheSameSequences()
    {
        var a = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 50, Seed: 3));
        var b = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 50, Seed: 3));
        Assert.Equal(a.Sequences.Items, b.Sequences.Items);
        Assert.Equal(a.EntropyRateBits, b.EntropyRateBits);
        Assert.NotEqual(a.Sequences.Items, MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 50, Seed: 4)).Sequences.Items);
    }

    [Fact]
    public void LengthsAndTimestampsFollowTheOptions()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 300, Items: 40, MinLength: 5, MaxLength: 9));
        var set = data.Sequences;
        Assert.Equal(300, set.UserCount);
        Assert.All(Enumerable.Range(0, set.UserCount), u => Assert.InRange(set.Length(u), 5, 9));
        Assert.InRange(set.ItemCount, 2, 40);
        Assert.All(Enumerable.Range(0, set.UserCount), u =>
        {
            var times = set.Times(u);
            for (var t = 1; t < times.Length; t++) Assert.True(times[t] > times[t - 1]);
        });
    }

    [Fact]
    public void EntropyRateIsBoundedByTheAlphabet()
    {
        var high = MarkovSequenceGenerator.Generate(new MarkovOptions(Items: 64, Concentration: 1000, ZipfExponent: 0));
        Assert.InRange(high.EntropyRateBits, 5.8, 6.0); // near-uniform rows over 64 items: log2 64 = 6
        var low = MarkovSequenceGenerator.Generate(new MarkovOptions(Items: 64, Concentration: 0.001));
        Assert.InRange(low.EntropyRateBits, 0, 0.5);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.5)]
    [InlineData(5.0)]
    public void ReportedEntropyRateMatchesTheEmpiricalConditionalEntropy(double concentration)
    {
        // 200 users × 500 steps over 30 items: the pooled plug-in H(next | current) converges to the chain's entropy rate.
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 200, Items: 30, Concentration: concentration,
            MinLength: 500, MaxLength: 500, Seed: 12));
        var (bits, _, _, _) = ConditionalEntropy.Compute(data.Sequences, 500);
        Assert.InRange(bits, data.EntropyRateBits - 0.08, data.EntropyRateBits + 0.08);
    }

    [Fact]
    public void BadOptionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => MarkovSequenceGenerator.Generate(new MarkovOptions(Concentration: 0)));
        Assert.Throws<ArgumentException>(() => MarkovSequenceGenerator.Generate(new MarkovOptions(MinLength: 10, MaxLength: 5)));
    }
}
