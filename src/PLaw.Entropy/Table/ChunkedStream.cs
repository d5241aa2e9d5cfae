using System.Runtime.CompilerServices;
using PLaw.Data.Sequences;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// One row's windows concatenated in user order and cut into chunks of <c>ChunkTokens</c>, as P-Law's scripts do for
/// Shannon and compression. A last chunk shorter than half a chunk is left out, unless it is the only one. Each chunk's
/// compression and its other estimators are separate pieces of work (compression costs about three times the rest).
/// </summary>
internal sealed class ChunkedStream
{
    private readonly int[] stream;
    private readonly int size;
    private readonly int itemCount;
    private readonly double[] shannon, compression, apen, real;

    public ChunkedStream(SequenceSet set, int maxLength, int chunkTokens)
    {
        stream = Concatenate(set.Offsets, set.Items, maxLength);
        size = chunkTokens;
        itemCount = set.ItemCount;
        long total = stream.Length;
        var chunks = (int)((total + size - 1) / size);
        if (chunks > 1 && total - (long)(chunks - 1) * size < size / 2) chunks--;
        Count = chunks;
        (shannon, compression, apen, real) = (new double[chunks], new double[chunks], new double[chunks], new double[chunks]);
    }

    /// <summary>Every user's newest <paramref name="maxLength"/> items, in user order, straight from the set's flat arrays
    /// (it runs before the table's parallel work, on one core).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Concatenate(int[] offsets, int[] items, int maxLength)
    {
        var users = offsets.Length - 1;
        long total = 0;
        for (var u = 0; u < users; u++) total += Math.Min(offsets[u + 1] - offsets[u], maxLength);
        var stream = new int[total];
        var at = 0;
        for (var u = 0; u < users; u++)
        {
            var length = Math.Min(offsets[u + 1] - offsets[u], maxLength);
            Array.Copy(items, offsets[u + 1] - length, stream, at, length);
            at += length;
        }
        return stream;
    }

    public int Count { get; }

    public int Tokens(int chunk) => Chunk(chunk).Length;

    /// <summary>The row's tokens: every user's window.</summary>
    public long TokenCount => stream.Length;

    /// <summary>The distinct items among the row's tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int DistinctItems()
    {
        var seen = new bool[itemCount + 1];
        var count = 0;
        foreach (var item in stream)
        {
            if (seen[item]) continue;
            seen[item] = true;
            count++;
        }
        return count;
    }

    private ReadOnlySpan<int> Chunk(int c) => stream.AsSpan(c * size, (int)Math.Min(size, stream.Length - (long)c * size));

    public void Compress(int c, EntropyWorkspace w) => compression[c] = CompressionRatio.Compute(Chunk(c), w);

    public void MeasureRest(int c, EntropyTableOptions options, EntropyWorkspace w)
    {
        var chunk = Chunk(c);
        shannon[c] = ShannonEntropy.BitsOfDenseIds(chunk, itemCount, w);
        apen[c] = options.R == 0 ? ApproximateEntropy.ExactMatch(chunk, options.M, w) : ApproximateEntropy.Compute(chunk, options.M, options.R);
        real[c] = RealEntropy.Textbook(chunk, w);
    }

    /// <summary>Means over chunks, summed in chunk order; zeros when the row has no tokens.</summary>
    public (double Shannon, double Compression, double Apen, double Real) Means()
    {
        if (stream.Length == 0) return (0, 0, 0, 0);
        return (Sum(shannon) / Count, Sum(compression) / Count, Sum(apen) / Count, Sum(real) / Count);
    }

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }
}
