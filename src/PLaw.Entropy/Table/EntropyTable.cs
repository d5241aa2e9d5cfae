using System.Runtime.CompilerServices;
using PLaw.Data.Sequences;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// The P-Law data-quality table: one <see cref="EntropyRow"/> per max length L, computed together because the rows share
/// most of their work. Rows whose L are equal, or at least the longest sequence, have the same windows and are computed
/// once; within the others each user's distinct windows are measured once (<see cref="UserMeasures"/>). Every piece runs on
/// every core (<see cref="TableWork"/>) and writes its own slots; sums run in user (and chunk) order afterwards, so the
/// values equal row-by-row computation to the bit and do not depend on the number of threads.
/// </summary>
/// <remarks>
/// The estimators' hot methods are marked AggressiveOptimization, as the importer's are: <c>plaw entropy</c> runs them once
/// per process, and most of that would otherwise pass in Tier-0 code before tiered JIT promotes it. The command compiles
/// them ahead (<see cref="HotTypes"/>, <see cref="PLaw.Data.Runtime.CompileAhead"/>) while it reads the file.
/// </remarks>
public static class EntropyTable
{
    private const int UsersPerPiece = 256;

    /// <summary>The types whose AggressiveOptimization methods the table runs (<see cref="PLaw.Data.Runtime.CompileAhead"/>), in
    /// the order the table first needs them: its set-up, then its costliest pieces (H(next | current), the chunks' zlib).</summary>
    public static IReadOnlyList<Type> HotTypes { get; } =
    [
        typeof(EntropyTable), typeof(ChunkedStream), typeof(ConditionalEntropy), typeof(CompressionRatio),
        typeof(Structures.Zlib.DeflateSize), typeof(Structures.Zlib.SortedHashChains), typeof(Structures.Zlib.BlockCost),
        typeof(Structures.Zlib.TreeBuilder), typeof(ShannonEntropy), typeof(ApproximateEntropy), typeof(RealEntropy),
        typeof(SuffixAutomaton), typeof(UserMeasures),
    ];

    public static IReadOnlyList<EntropyRow> Compute(SequenceSet set, EntropyTableOptions options,
        IProgress<double>? progress = null, CancellationToken ct = default) =>
        Compute(set, options, Environment.ProcessorCount, progress, ct);

    /// <summary>The same on <paramref name="threads"/> workers: the values do not depend on it (tests compare 1 with many).</summary>
    internal static IReadOnlyList<EntropyRow> Compute(SequenceSet set, EntropyTableOptions options, int threads,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        options.Validate();
        ct.ThrowIfCancellationRequested();

        var longest = 0;
        for (var u = 0; u < set.UserCount; u++) longest = Math.Max(longest, set.Length(u));
        // Row r is the same table as its first row with the same min(L, longest): only those are computed.
        // (Loops, not LINQ, here and below: LINQ over value types has no precompiled code and would compile on the critical path.)
        var canonical = new int[options.MaxLengths.Count];
        var distinct = new List<int>();
        for (var r = 0; r < canonical.Length; r++)
        {
            var same = 0;
            while (same < distinct.Count && Math.Min(longest, distinct[same]) != Math.Min(longest, options.MaxLengths[r])) same++;
            if (same == distinct.Count) distinct.Add(options.MaxLengths[r]);
            canonical[r] = same;
        }
        var maxLengths = distinct.ToArray();

        var users = set.UserCount;
        var columns = new UserColumns[maxLengths.Length];
        var chunked = new ChunkedStream[maxLengths.Length];
        for (var r = 0; r < maxLengths.Length; r++)
        {
            columns[r] = new UserColumns(users);
            chunked[r] = new ChunkedStream(set, maxLengths[r], options.ChunkTokens);
        }
        var conditional = new (double Bits, double MillerMadowCorrection, long Transitions, long DistinctPairs)[maxLengths.Length];
        var distinctItems = new int[maxLengths.Length];

        var work = new TableWork();
        work.Add(0.1 * set.InteractionCount, _ => conditional = ConditionalEntropy.ComputeRows(set, maxLengths));
        for (var r = 0; r < maxLengths.Length; r++)
        {
            var (stream, row) = (chunked[r], r);
            work.Add(0.003 * stream.TokenCount, _ => distinctItems[row] = stream.DistinctItems());
            for (var c = 0; c < stream.Count; c++)
            {
                var chunk = c;
                work.Add(0.45 * stream.Tokens(c), w => stream.Compress(chunk, w));
                work.Add(0.15 * stream.Tokens(c), w => stream.MeasureRest(chunk, options, w));
            }
        }
        for (var from = 0; from < users; from += UsersPerPiece)
        {
            var (start, end) = (from, Math.Min(users, from + UsersPerPiece));
            work.Add(WindowCost(set, start, end, maxLengths), w => UserMeasures.Measure(set, start, end, maxLengths, columns, options, w));
        }
        work.Run(threads, progress, ct);

        var computed = new EntropyRow[maxLengths.Length];
        for (var r = 0; r < maxLengths.Length; r++)
            computed[r] = Assemble(set, maxLengths[r], columns[r], chunked[r], distinctItems[r], conditional[r]);
        progress?.Report(1);
        var rows = new EntropyRow[canonical.Length];
        for (var r = 0; r < rows.Length; r++) rows[r] = computed[canonical[r]] with { MaxLen = options.MaxLengths[r] };
        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static EntropyRow Assemble(SequenceSet set, int maxLength, UserColumns c, ChunkedStream stream, int items,
        (double Bits, double MillerMadowCorrection, long Transitions, long DistinctPairs) conditional)
    {
        // The row's tokens are its chunked stream, every user's window concatenated; its distinct items (items) were counted
        // by a piece of the table's work.
        var users = set.UserCount;
        var tokens = stream.TokenCount;
        var chunked = stream.Means();
        var allDistinct = 0;
        foreach (var d in c.AllDistinct)
            if (d) allDistinct++;
        double Mean(double[] values) => users == 0 ? 0 : Sum(values) / users;
        var meanApen = Mean(c.Apen);
        var meanReal = Mean(c.Real);

        return new EntropyRow(
            maxLength, users, items, tokens, users == 0 ? 0 : (double)tokens / users,
            meanApen, meanReal, Mean(c.RealReference), Mean(c.Shannon), Mean(c.Compression),
            meanApen > 0 ? tokens / meanApen : 0, tokens * meanReal,
            users == 0 ? 0 : allDistinct / (double)users,
            chunked.Shannon, chunked.Compression, chunked.Apen, chunked.Real,
            conditional.Bits, conditional.MillerMadowCorrection, conditional.Transitions);
    }

    /// <summary>Estimated microseconds for a block of users: a fixed cost per distinct window plus its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WindowCost(SequenceSet set, int from, int to, int[] maxLengths)
    {
        double cost = 0;
        for (var u = from; u < to; u++)
        {
            var n = set.Length(u);
            var windows = 1;
            foreach (var l in maxLengths)
                if (l < n) windows++;
            cost += windows * (5 + 0.05 * n);
        }
        return cost;
    }

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }
}
