using PLaw.Data.Sequences;
using PLaw.Data.Storage;
using PLaw.Data.Synthetic;

namespace PLaw.Data.Tests.Synthetic;

/// <summary>The multi-domain synthetic chain: its realised cross-domain rate is the one asked for, and without domains the
/// generator's output (the demo dataset's) is what it was before domains existed.</summary>
public sealed class MultiDomainGeneratorTests
{
    private static (long Steps, long Crossings) Transitions(SequenceSet set)
    {
        long steps = 0, crossings = 0;
        for (var u = 0; u < set.UserCount; u++)
        {
            var s = set.Sequence(u);
            for (var t = 1; t < s.Length; t++)
            {
                steps++;
                if (set.Domains!.Of(s[t]) != set.Domains.Of(s[t - 1])) crossings++;
            }
        }
        return (steps, crossings);
    }

    [Theory]
    [InlineData(3, 0.2)]
    [InlineData(2, 0.05)]
    [InlineData(4, 0.5)]
    public void TheCrossDomainRateIsTheOneAskedFor(int domains, double p)
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 400, Items: 120, Concentration: 0.5, MinLength: 20, MaxLength: 60, Seed: 5),
            new MultiDomainOptions(domains, p));
        var (steps, crossings) = Transitions(data.Sequences);
        // Each step crosses with probability exactly p, independently given the chain: the count is Binomial(steps, p).
        var sd = Math.Sqrt(steps * p * (1 - p));
        Assert.True(steps > 10_000, $"{steps} steps");
        Assert.InRange(crossings, steps * p - 4 * sd, steps * p + 4 * sd);
        Assert.Equal(Enumerable.Range(1, domains).Select(k => $"D{k}"), data.Sequences.Domains!.Names);
        Assert.Equal(data.Sequences.ItemCount, data.Sequences.Domains.ItemsPerDomain().Sum());
        Assert.All(data.Sequences.Domains.ItemsPerDomain(), n => Assert.InRange(n, 2, 120 / domains));
    }

    [Fact]
    public void ZeroCrossingKeepsEveryUserInOneDomain()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 100, Items: 60, Seed: 3), new MultiDomainOptions(3, 0));
        Assert.Equal(0, Transitions(data.Sequences).Crossings);
        Assert.Equal(3, Enumerable.Range(0, 100).Select(u => data.Sequences.Domains!.Of(data.Sequences.Sequence(u)[0])).Distinct().Count());
    }

    [Fact]
    public void TheEntropyRateCountsTheCrossings()
    {
        // Crossing adds choice: with p = 0.5 the next item is often drawn from another domain's whole popularity.
        var options = new MarkovOptions(Users: 50, Items: 60, Concentration: 0.05, Seed: 4);
        var closed = MarkovSequenceGenerator.Generate(options, new MultiDomainOptions(3, 0)).EntropyRateBits;
        var open = MarkovSequenceGenerator.Generate(options, new MultiDomainOptions(3, 0.5)).EntropyRateBits;
        Assert.True(open > closed + 0.5, $"{open} vs {closed}");
    }

    [Fact]
    public void WithoutDomainsTheOutputIsUnchanged()
    {
        // Checksums and entropy rate pinned from the generator before domains existed (commit 1067b7b).
        Assert.Equal("93a2aac60261355e102525166931b6e5aceee389e913c2aa2aa3457937e9c711",
            SequenceSetFormat.Checksum(MarkovSequenceGenerator.Generate(new MarkovOptions(Concentration: 4)).Sequences)); // the demo's options
        var small = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 200, Items: 60, Concentration: 0.5, Seed: 9));
        Assert.Equal("65f4d72d70259461ef582dc84cf1391448388475475507ccd80aa2c9bde9c8ab", SequenceSetFormat.Checksum(small.Sequences));
        Assert.Equal(0.9196285546776692, small.EntropyRateBits);
        Assert.Null(small.Sequences.Domains);
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var options = new MarkovOptions(Users: 10, Items: 10);
        Assert.Contains("at least 2 domains", Assert.Throws<ArgumentException>(() =>
            MarkovSequenceGenerator.Generate(options, new MultiDomainOptions(1, 0))).Message, StringComparison.Ordinal);
        Assert.Contains("10 items cannot make 6 domains", Assert.Throws<ArgumentException>(() =>
            MarkovSequenceGenerator.Generate(options, new MultiDomainOptions(6, 0.1))).Message, StringComparison.Ordinal);
        Assert.Contains("in [0, 1], got 1.5", Assert.Throws<ArgumentException>(() =>
            MarkovSequenceGenerator.Generate(options, new MultiDomainOptions(2, 1.5))).Message, StringComparison.Ordinal);
    }
}
