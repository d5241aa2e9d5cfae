using PLaw.Data.Synthetic;

namespace PLaw.Entropy.Tests;

public sealed class InvariantTests
{
    [Fact]
    public void ApEnIsNeverNegative()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 200; trial++)
        {
            var u = Enumerable.Range(0, random.Next(0, 60)).Select(_ => random.Next(1, 6)).ToArray();
            Assert.True(ApproximateEntropy.Compute(u, random.Next(1, 4), random.Next(0, 2)) >= 0);
        }
    }

    [Fact]
    public void APeriodicSequenceHasLowerRealEntropyThanARandomOne()
    {
        var periodic = Enumerable.Range(0, 200).Select(i => i % 4 + 1).ToArray();
        var random = new Random(5);
        var noisy = Enumerable.Range(0, 200).Select(_ => random.Next(1, 5)).ToArray();
        Assert.True(RealEntropy.Textbook(periodic) < RealEntropy.Textbook(noisy) / 2);
        Assert.True(RealEntropy.Reference(periodic) < RealEntropy.Reference(noisy) / 2);
        Assert.True(ApproximateEntropy.Compute(periodic) < ApproximateEntropy.Compute(noisy));
    }

    [Fact]
    public void RealEntropyFallsWithTheMarkovChainsConcentration()
    {
        double[] concentrations = [10, 1, 0.1, 0.01];
        var measured = new List<double>();
        var rates = new List<double>();
        foreach (var concentration in concentrations)
        {
            var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 200, Items: 100, Concentration: concentration,
                MinLength: 150, MaxLength: 200, Seed: 9));
            var table = EntropyTable.Compute(data.Sequences, new EntropyTableOptions([200]));
            measured.Add(table[0].RealEntropy);
            rates.Add(data.EntropyRateBits);
        }
        for (var i = 1; i < concentrations.Length; i++)
        {
            Assert.True(measured[i] < measured[i - 1], $"real entropy {string.Join(", ", measured)} should fall with concentration");
            Assert.True(rates[i] < rates[i - 1], $"entropy rate {string.Join(", ", rates)} should fall with concentration");
        }
    }
}
