using PLaw.Entropy.Reference;

namespace PLaw.Entropy.Tests;

/// <summary>The hashed, automaton and trie estimators against the straightforward definitions on many random sequences.</summary>
public sealed class FastMatchesNaiveTests
{
    public static TheoryData<int, int> Alphabets => new() { { 2, 1 }, { 3, 2 }, { 5, 3 }, { 20, 4 }, { 1000, 5 } };

    private static int[] RandomSequence(Random random, int alphabet) =>
        Enumerable.Range(0, random.Next(0, 90)).Select(_ => random.Next(1, alphabet + 1)).ToArray();

    [Theory, MemberData(nameof(Alphabets))]
    public void ApEnEqualsPairwiseDefinition(int alphabet, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 60; trial++)
        {
            var u = RandomSequence(random, alphabet);
            foreach (var m in new[] { 1, 2, 3 })
            {
                Assert.Equal(NaiveEntropy.ApEn(u, m, 0), ApproximateEntropy.Compute(u, m, 0), 1e-10);
                Assert.Equal(NaiveEntropy.ApEn(u, m, 1), ApproximateEntropy.Compute(u, m, 1), 1e-10);
            }
        }
    }

    [Theory, MemberData(nameof(Alphabets))]
    public void RealEntropyEqualsDefinitions(int alphabet, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 60; trial++)
        {
            var u = RandomSequence(random, alphabet);
            Assert.Equal(NaiveEntropy.RealTextbook(u), RealEntropy.Textbook(u), 1e-12);
            Assert.Equal(NaiveEntropy.RealReference(u), RealEntropy.Reference(u), 1e-12);
        }
    }

    [Theory, MemberData(nameof(Alphabets))]
    public void ShannonEqualsGroupCount(int alphabet, int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 60; trial++)
        {
            var u = RandomSequence(random, alphabet);
            Assert.Equal(NaiveEntropy.ShannonBits(u), ShannonEntropy.Bits(u), 1e-10);
        }
    }

    [Fact]
    public void LongRepetitiveSequencesStayExact()
    {
        // Runs and repeats stress the automaton's clone path and the trie's deep walks.
        var random = new Random(11);
        var u = Enumerable.Range(0, 600).Select(i => i % 7 == 0 ? random.Next(1, 4) : (i / 3) % 5 + 1).ToArray();
        Assert.Equal(NaiveEntropy.RealTextbook(u), RealEntropy.Textbook(u), 1e-12);
        Assert.Equal(NaiveEntropy.RealReference(u), RealEntropy.Reference(u), 1e-12);
        Assert.Equal(NaiveEntropy.ApEn(u, 2, 0), ApproximateEntropy.Compute(u), 1e-10);
    }
}
