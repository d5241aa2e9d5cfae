using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Tests.Common;

namespace PLaw.Entropy.Tests;

/// <summary>
/// The table shares work between rows (equal rows once, each user's distinct windows once, all pieces on every core).
/// Here it is checked against the straightforward computation — every row on its own, every user's window measured for
/// every row, one thread — on a slice of real data, to the bit.
/// </summary>
public sealed class TableMatchesRowByRowTests
{
    [Fact]
    public void SharedWorkGivesTheRowByRowValuesToTheBitOnRealData()
    {
        var slice = GamesSlice(1500);
        // Unsorted, repeated, and two lengths beyond the longest sequence (the same row): every sharing path.
        int[] lengths = [25, 3, 50, 8000, 25, 9000, 200];
        Assert.InRange(Enumerable.Range(0, slice.UserCount).Max(slice.Length), 201, 7999);
        var options = new EntropyTableOptions(lengths, ChunkTokens: 700);

        var table = EntropyTable.Compute(slice, options);

        Assert.Equal(lengths, table.Select(r => r.MaxLen));
        for (var r = 0; r < lengths.Length; r++)
            Assert.Equal(RowByRow(slice, lengths[r], options), table[r]);
    }

    [Fact]
    public void SharedWorkMatchesWithAToleranceToo()
    {
        var slice = GamesSlice(300);
        var options = new EntropyTableOptions([10, 40, 1000], M: 1, R: 3, ChunkTokens: 200);
        var table = EntropyTable.Compute(slice, options);
        for (var r = 0; r < 3; r++)
            Assert.Equal(RowByRow(slice, options.MaxLengths[r], options), table[r]);
    }

    private static SequenceSet GamesSlice(int users)
    {
        RepoPaths.RequireSharedData();
        var games = DatasetImporter.Import(RepoPaths.AmazonGames, new ImportOptions(InteractionFormat.Sasrec)).Sequences;
        var offsets = games.Offsets.AsSpan(0, users + 1).ToArray();
        return new SequenceSet(offsets, games.Items.AsSpan(0, offsets[^1]).ToArray(), games.ItemCount);
    }

    /// <summary>One row from its own windows: what the table computed before it shared work between rows.</summary>
    private static EntropyRow RowByRow(SequenceSet set, int maxLength, EntropyTableOptions options)
    {
        var users = set.UserCount;
        var windows = Enumerable.Range(0, users).Select(u => set.Window(u, maxLength).ToArray()).ToArray();
        double Mean(Func<int[], double> measure)
        {
            double sum = 0;
            foreach (var w in windows) sum += measure(w);
            return sum / users;
        }
        long tokens = windows.Sum(w => (long)w.Length);
        var apen = Mean(w => ApproximateEntropy.Compute(w, options.M, options.R));
        var real = Mean(w => RealEntropy.Textbook(w));

        var stream = windows.SelectMany(w => w).ToArray();
        var chunks = stream.Chunk(options.ChunkTokens).ToList();
        if (chunks.Count > 1 && chunks[^1].Length < options.ChunkTokens / 2) chunks.RemoveAt(chunks.Count - 1);
        double ChunkMean(Func<int[], double> measure)
        {
            double sum = 0;
            foreach (var c in chunks) sum += measure(c);
            return sum / chunks.Count;
        }
        var conditional = ConditionalEntropy.Compute(set, maxLength);

        return new EntropyRow(maxLength, users, stream.Distinct().Count(), tokens, (double)tokens / users,
            apen, real, Mean(w => RealEntropy.Reference(w)), Mean(w => ShannonEntropy.Bits(w)), Mean(w => CompressionRatio.Compute(w)),
            apen > 0 ? tokens / apen : 0, tokens * real, windows.Count(w => w.Distinct().Count() == w.Length) / (double)users,
            ChunkMean(c => ShannonEntropy.Bits(c)), ChunkMean(c => CompressionRatio.Compute(c)),
            ChunkMean(c => ApproximateEntropy.Compute(c, options.M, options.R)), ChunkMean(c => RealEntropy.Textbook(c)),
            conditional.Bits, conditional.MillerMadowCorrection, conditional.Transitions);
    }
}
