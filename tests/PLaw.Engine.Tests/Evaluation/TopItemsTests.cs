using PLaw.Engine.Evaluation;

namespace PLaw.Engine.Tests.Evaluation;

/// <summary>TopItems.Of against a full sort (score descending, then id), on rows that skip whole vector runs.</summary>
public sealed class TopItemsTests
{
    [Theory]
    [InlineData(2, 10)]       // shorter than a vector: the scalar path only
    [InlineData(37, 10)]      // a ragged tail after the vector runs
    [InlineData(10_674, 10)]  // a Games catalogue row
    [InlineData(1_000, 1)]
    public void TheBestItemsAreThoseOfAFullSort(int length, int k)
    {
        var rng = new Random(length * 31 + k);
        for (var trial = 0; trial < 20; trial++)
        {
            // Coarse scores (many ties), some masked items, and the best ones late in the row, after runs that cannot beat them.
            var row = new float[length];
            for (var j = 0; j < length; j++) row[j] = rng.Next(4) == 0 ? float.NegativeInfinity : rng.Next(200) / 8f;
            for (var j = Math.Max(1, length - 3); j < length; j++) row[j] = 30 + rng.Next(3);
            var top = new int[k];
            var score = new float[k];
            TopItems.Of(row, top, score);
            var expected = Enumerable.Range(1, length - 1).Where(j => float.IsFinite(row[j]))
                .OrderByDescending(j => row[j]).ThenBy(j => j).Take(k).ToList();
            while (expected.Count < k) expected.Add(-1);
            Assert.Equal(expected, top);
        }
    }
}
