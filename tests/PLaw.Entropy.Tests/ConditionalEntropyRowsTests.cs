using PLaw.Data.Sequences;
using PLaw.Data.Synthetic;

namespace PLaw.Entropy.Tests;

/// <summary>The table's one-pass H(next | current) for every length against <see cref="ConditionalEntropy.Compute"/> per length, to the bit.</summary>
public sealed class ConditionalEntropyRowsTests
{
    [Fact]
    public void OnePassGivesEachLengthsValuesToTheBit()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 3000, Items: 3000, MinLength: 1, MaxLength: 260, Seed: 9)).Sequences;
        // Unsorted, repeated, 1 (no transitions at all) and beyond the longest user.
        int[] lengths = [50, 2, 200, 1, 25, 50, 5000];

        var rows = ConditionalEntropy.ComputeRows(data, lengths);

        for (var r = 0; r < lengths.Length; r++)
        {
            var expected = ConditionalEntropy.Compute(data, lengths[r]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Bits), BitConverter.DoubleToInt64Bits(rows[r].Bits));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.MillerMadowCorrection), BitConverter.DoubleToInt64Bits(rows[r].MillerMadowCorrection));
            Assert.Equal((expected.Transitions, expected.DistinctPairs), (rows[r].Transitions, rows[r].DistinctPairs));
        }
        Assert.Equal(0, rows[3].Transitions);
    }

    [Fact]
    public void UsersOfOneItemHaveNoTransitions()
    {
        var set = new SequenceSet([0, 1, 2], [1, 2], itemCount: 2);
        Assert.All(ConditionalEntropy.ComputeRows(set, [1, 10]), row => Assert.Equal((0.0, 0.0, 0L, 0L), row));
    }
}
