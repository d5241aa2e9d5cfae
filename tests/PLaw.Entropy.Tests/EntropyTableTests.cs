using System.Text.Json;
using PLaw.Data.Sequences;
using PLaw.Data.Synthetic;
using PLaw.Tests.Common;

namespace PLaw.Entropy.Tests;

public sealed class EntropyTableTests
{
    // user 0: 5 5 5 5 5, user 1: 1 2 1 2 1 2, user 2: 3 4 (items re-numbered 1..5 by the set: here already dense)
    private static readonly SequenceSet Small = new([0, 5, 11, 13], [5, 5, 5, 5, 5, 1, 2, 1, 2, 1, 2, 3, 4], itemCount: 5);

    [Fact]
    public void SmallTableIsTheMeanOfThePerUserMeasures()
    {
        var row = EntropyTable.Compute(Small, new EntropyTableOptions([10]))[0];
        Assert.Equal((10, 3, 5, 13L), (row.MaxLen, row.Users, row.Items, row.Tokens));
        Assert.Equal(13 / 3.0, row.MeanLength, 12);
        var apen = (0 + 0.020135513550688877 + 0) / 3;
        Assert.Equal(apen, row.Apen, 12);
        Assert.Equal(13 / apen, row.TokensPerApen, 6);
        var real = (5 * Math.Log(5) / 11 + 6 * Math.Log(6) / 13 + Math.Log(2)) / 3;
        Assert.Equal(real, row.RealEntropy, 12);
        Assert.Equal(13 * real, row.TokensTimesRealEntropy, 9);
        Assert.Equal((0 + 1 + 1) / 3.0, row.Shannon, 12);
        Assert.Equal(1 / 3.0, row.AllDistinctShare, 12); // only user 2 never repeats
    }

    [Fact]
    public void TruncationKeepsTheNewestItems()
    {
        var row = EntropyTable.Compute(Small, new EntropyTableOptions([2]))[0];
        // windows: [5,5], [1,2], [3,4] → 6 tokens, items {5,1,2,3,4}
        Assert.Equal(6, row.Tokens);
        Assert.Equal(2.0 / 3, row.AllDistinctShare, 12);
        Assert.Equal(3, row.Transitions);
    }

    [Fact]
    public void ConditionalEntropyOfADeterministicChainIsZero()
    {
        // Every transition is determined: 1→2→3→1…
        var set = new SequenceSet([0, 9, 15], [1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3, 1, 2, 3, 1], itemCount: 3);
        var (bits, correction, transitions, pairs) = ConditionalEntropy.Compute(set, 100);
        Assert.Equal(0, bits, 12);
        Assert.Equal((13L, 3L), (transitions, pairs));
        Assert.Equal(0, correction, 12); // K_pairs − K_current = 3 − 3
    }

    [Fact]
    public void ConditionalEntropyOfAFairCoinAfterEachItemIsOneBit()
    {
        // After 1: 1 or 2 equally often; after 2: 1 or 2 equally often → H = 1 bit.
        var set = new SequenceSet([0, 9], [1, 1, 2, 2, 1, 2, 1, 1, 2], itemCount: 2);
        var (bits, correction, transitions, _) = ConditionalEntropy.Compute(set, 100);
        // transitions: 11,12,22,21,12,21,11,12 → after 1: {1:2, 2:3}, after 2: {2:1, 1:2}
        var expected = (2 * Math.Log2(5 / 2.0) + 3 * Math.Log2(5 / 3.0) + 1 * Math.Log2(3 / 1.0) + 2 * Math.Log2(3 / 2.0)) / 8;
        Assert.Equal(expected, bits, 12);
        Assert.Equal((4 - 2) / (2.0 * 8 * Math.Log(2)), correction, 12);
        Assert.Equal(8, transitions);
    }

    [Fact]
    public void ParallelResultEqualsSequentialResult()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 3000, Items: 200, Seed: 4)).Sequences;
        var options = new EntropyTableOptions([25, 100]);
        var parallel = EntropyTable.Compute(data, options);
        var sequential = Enumerable.Range(0, data.UserCount).Select(u => data.Window(u, 25).ToArray()).ToList();
        Assert.Equal(sequential.Average(s => ApproximateEntropy.Compute(s)), parallel[0].Apen, 12);
        Assert.Equal(sequential.Average(s => RealEntropy.Textbook(s)), parallel[0].RealEntropy, 12);
        Assert.Equal(sequential.Average(s => RealEntropy.Reference(s)), parallel[0].RealEntropyReference, 12);
        Assert.Equal(sequential.Average(s => CompressionRatio.Compute(s)), parallel[0].CompressionRatio, 12);
        Assert.Equal(parallel, EntropyTable.Compute(data, options)); // repeatable to the bit
    }

    [Fact]
    public void ChunkedMeasuresUseTheConcatenatedWindows()
    {
        // 30 users × 400 items, chunks of 1,000: 12 chunks; the chunked Shannon of a stream with 50 equally used items is ~log2 50.
        var random = new Random(8);
        var items = Enumerable.Range(0, 30 * 400).Select(_ => random.Next(1, 51)).ToArray();
        var set = new SequenceSet(Enumerable.Range(0, 31).Select(u => u * 400).ToArray(), items, 50);
        var row = EntropyTable.Compute(set, new EntropyTableOptions([400], ChunkTokens: 1000))[0];
        Assert.InRange(row.ChunkedShannon, Math.Log2(50) - 0.05, Math.Log2(50));
        Assert.NotEqual(row.Shannon, row.ChunkedShannon);
        Assert.True(row.ChunkedApen > 0);
        Assert.True(row.ChunkedRealEntropy > 0);
    }

    [Fact]
    public void MovieLensUsersNeverRepeatItemsSoEveryUserIsAllDistinct()
    {
        RepoPaths.RequireSharedData();
        var data = PLaw.Data.Import.DatasetImporter.Import(RepoPaths.MovieLens100K,
            new PLaw.Data.Import.ImportOptions(PLaw.Data.Import.InteractionFormat.MovieLens)).Sequences;
        var rows = EntropyTable.Compute(data, EntropyTableOptions.Default);
        Assert.All(rows, r => Assert.Equal(1.0, r.AllDistinctShare));
        Assert.All(rows, r => Assert.Equal(943, r.Users));
        // Per-user ApEn of all-distinct windows is ln((n−1)/(n−2)) — a function of length alone.
        var first = data.Window(0, 25).Length;
        Assert.Equal(25, first);
        Assert.Equal(Math.Log(24.0 / 23), ApproximateEntropy.Compute(data.Window(0, 25)), 12);
        Assert.True(rows[0].ConditionalEntropy > 0);
    }

    [Fact]
    public void JsonHasTheCamelCaseFieldsTheCliPromises()
    {
        var row = EntropyTable.Compute(Small, EntropyTableOptions.Default)[0];
        var json = JsonSerializer.Serialize(row, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        foreach (var field in new[] { "maxLen", "users", "items", "tokens", "meanLength", "apen", "realEntropy", "realEntropyReference",
                     "shannon", "compressionRatio", "tokensPerApen", "allDistinctShare", "chunkedShannon", "chunkedCompressionRatio", "conditionalEntropy" })
            Assert.Contains($"\"{field}\":", json);
        Assert.DoesNotContain("NaN", json);
    }

    [Fact]
    public void BadOptionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => EntropyTable.Compute(Small, new EntropyTableOptions([])));
        Assert.Throws<ArgumentException>(() => EntropyTable.Compute(Small, new EntropyTableOptions([0])));
        Assert.Throws<ArgumentException>(() => EntropyTable.Compute(Small, new EntropyTableOptions([10], M: 0)));
    }

    [Fact]
    public void ProgressEndsAtOneAndCancellationStops()
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 500, Seed: 2)).Sequences;
        var reports = new List<double>();
        EntropyTable.Compute(data, EntropyTableOptions.Default, new Collector(reports));
        Assert.Equal(1.0, reports[^1]);
        Assert.All(reports, r => Assert.InRange(r, 0.0, 1.0));
        Assert.True(reports.Count > 4, "progress should be reported during the work, not only at the end");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => EntropyTable.Compute(data, EntropyTableOptions.Default, ct: cancelled.Token));
    }

    private sealed class Collector(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports) reports.Add(value);
        }
    }
}

public sealed class EntropyTableAgainstDefinitionsTests
{
    [Fact]
    public void FastTableEqualsTheDefinitionsRowByRow()
    {
        var data = PLaw.Data.Synthetic.MarkovSequenceGenerator.Generate(new PLaw.Data.Synthetic.MarkovOptions(Users: 120, Items: 60, MinLength: 5, MaxLength: 80, Seed: 6)).Sequences;
        var fast = EntropyTable.Compute(data, new EntropyTableOptions([10, 50], ChunkTokens: 1000));
        foreach (var row in fast)
        {
            var slow = PLaw.Entropy.Reference.NaiveEntropy.Row(data, row.MaxLen, chunkTokens: 1000);
            Assert.Equal((slow.Users, slow.Items, slow.Tokens, slow.Transitions), (row.Users, row.Items, row.Tokens, row.Transitions));
            foreach (var (name, expected, actual) in new[]
                     {
                         ("apen", slow.Apen, row.Apen), ("real", slow.RealEntropy, row.RealEntropy),
                         ("realRef", slow.RealEntropyReference, row.RealEntropyReference), ("shannon", slow.Shannon, row.Shannon),
                         ("distinct", slow.AllDistinctShare, row.AllDistinctShare), ("chShannon", slow.ChunkedShannon, row.ChunkedShannon),
                         ("chApen", slow.ChunkedApen, row.ChunkedApen), ("chReal", slow.ChunkedRealEntropy, row.ChunkedRealEntropy),
                         ("conditional", slow.ConditionalEntropy, row.ConditionalEntropy), ("mm", slow.ConditionalEntropyBias, row.ConditionalEntropyBias),
                         ("tokensPerApen", slow.TokensPerApen / 1e6, row.TokensPerApen / 1e6),
                     })
                Assert.True(Math.Abs(expected - actual) < 1e-9, $"{name} at L={row.MaxLen}: definition {expected}, fast {actual}");
            // ZLibStream (zlib-ng) and the system zlib may differ by a few bytes per sequence.
            Assert.InRange(row.CompressionRatio, 0.9 * slow.CompressionRatio, 1.1 * slow.CompressionRatio);
        }
    }
}
