using PLaw.Data.Sequences;
using PLaw.Data.Synthetic;

namespace PLaw.Entropy.Tests;

/// <summary>
/// The table runs its pieces on every core, each worker with its own scratch space (workspace, zlib stream, buffers).
/// If two workers ever shared one, their pieces would overwrite each other's counts and bytes mid-measure: the values
/// would move. So the table on one worker and on many (more than the cores, so pieces really interleave) must agree in
/// every field, to the bit.
/// </summary>
public sealed class ThreadCountTests
{
    [Fact]
    public void ManyWorkersGiveTheSingleThreadValuesToTheBit()
    {
        // Lengths 5..300 so that users get one to four distinct windows; small chunks so that there are many of them.
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 4000, Items: 300, MinLength: 5, MaxLength: 300, Seed: 11)).Sequences;
        var options = new EntropyTableOptions([25, 50, 100, 200], ChunkTokens: 2000);

        var single = EntropyTable.Compute(data, options, threads: 1);
        foreach (var threads in new[] { 2, 8 })
            for (var repeat = 0; repeat < 3; repeat++)
                AssertSameBits(single, EntropyTable.Compute(data, options, threads), $"{threads} workers, run {repeat + 1}");
    }

    [Fact]
    public void ManyWorkersGiveTheSingleThreadValuesOnAllDistinctUsersToo()
    {
        // Every user a different run of consecutive ids: no item repeats, as in MovieLens (the other branch of every estimator).
        const int users = 3000;
        var offsets = new int[users + 1];
        var items = new List<int>();
        var random = new Random(5);
        for (var u = 0; u < users; u++)
        {
            var start = random.Next(1, 5000);
            var length = random.Next(3, 260);
            for (var i = 0; i < length; i++) items.Add(start + i);
            offsets[u + 1] = items.Count;
        }
        var data = new SequenceSet(offsets, items.ToArray(), itemCount: 5300);
        var options = new EntropyTableOptions([25, 100, 200], ChunkTokens: 1500);
        AssertSameBits(EntropyTable.Compute(data, options, threads: 1), EntropyTable.Compute(data, options, threads: 8), "8 workers");
    }

    /// <summary>Every property of every row, doubles compared by their bits (so 0 and −0, or two NaNs, would not pass for equal).</summary>
    private static void AssertSameBits(IReadOnlyList<EntropyRow> expected, IReadOnlyList<EntropyRow> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var r = 0; r < expected.Count; r++)
            foreach (var property in typeof(EntropyRow).GetProperties())
            {
                var (e, a) = (property.GetValue(expected[r]), property.GetValue(actual[r]));
                if (e is double x && a is double y)
                    Assert.True(BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
                        $"{what}: row {r} (L={expected[r].MaxLen}) {property.Name}: one worker {x:R}, many {y:R}");
                else
                    Assert.True(Equals(e, a), $"{what}: row {r} (L={expected[r].MaxLen}) {property.Name}: one worker {e}, many {a}");
            }
    }
}
