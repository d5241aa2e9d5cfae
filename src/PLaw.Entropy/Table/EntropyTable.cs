using System.Collections.Concurrent;
using PLaw.Data.Sequences;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// The P-Law data-quality table: one <see cref="EntropyRow"/> per max length L. Users are measured in parallel (each thread
/// with its own scratch space); sums run in user order afterwards, so results do not depend on the number of threads.
/// </summary>
public static class EntropyTable
{
    public static IReadOnlyList<EntropyRow> Compute(SequenceSet set, EntropyTableOptions options,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        options.Validate();
        var rows = new List<EntropyRow>(options.MaxLengths.Count);
        for (var r = 0; r < options.MaxLengths.Count; r++)
        {
            var done = r;
            var rowProgress = progress is null ? null : new ScaledProgress(progress, done, options.MaxLengths.Count);
            rows.Add(ComputeRow(set, options.MaxLengths[r], options, rowProgress, ct));
        }
        progress?.Report(1);
        return rows;
    }

    private static EntropyRow ComputeRow(SequenceSet set, int maxLength, EntropyTableOptions options, ScaledProgress? progress, CancellationToken ct)
    {
        var users = set.UserCount;
        var apen = new double[users];
        var real = new double[users];
        var realReference = new double[users];
        var shannon = new double[users];
        var compression = new double[users];
        var allDistinct = new bool[users];
        var measured = 0;
        var reportEvery = Math.Max(1, users / 50);
        var parallel = new ParallelOptions { CancellationToken = ct };

        Parallel.ForEach(Partitioner.Create(0, users, Math.Max(64, users / 64)), parallel, range =>
        {
            var w = EntropyWorkspace.Current;
            for (var u = range.Item1; u < range.Item2; u++)
            {
                var window = set.Window(u, maxLength);
                apen[u] = options.R == 0 ? ApproximateEntropy.ExactMatch(window, options.M, w) : ApproximateEntropy.Compute(window, options.M, options.R);
                real[u] = RealEntropy.Textbook(window, w);
                realReference[u] = RealEntropy.Reference(window, w);
                shannon[u] = ShannonEntropy.Bits(window, w);
                compression[u] = CompressionRatio.Compute(window, w);
                allDistinct[u] = AllDistinct(window, w);
            }
            var total = Interlocked.Add(ref measured, range.Item2 - range.Item1);
            if (total / reportEvery != (total - (range.Item2 - range.Item1)) / reportEvery)
                progress?.Report(0.8 * total / Math.Max(1, users));
        });

        long tokens = 0;
        var seen = new bool[set.ItemCount + 1];
        for (var u = 0; u < users; u++)
        {
            var window = set.Window(u, maxLength);
            tokens += window.Length;
            foreach (var item in window) seen[item] = true;
        }
        var items = seen.Count(s => s);
        double Mean(double[] values) => users == 0 ? 0 : Sum(values) / users;
        var meanApen = Mean(apen);
        var meanReal = Mean(real);

        ct.ThrowIfCancellationRequested();
        var chunked = Chunked(set, maxLength, options, parallel);
        progress?.Report(0.95);
        var conditional = ConditionalEntropy.Compute(set, maxLength);

        return new EntropyRow(
            maxLength, users, items, tokens, users == 0 ? 0 : (double)tokens / users,
            meanApen, meanReal, Mean(realReference), Mean(shannon), Mean(compression),
            meanApen > 0 ? tokens / meanApen : 0, tokens * meanReal,
            users == 0 ? 0 : allDistinct.Count(d => d) / (double)users,
            chunked.Shannon, chunked.Compression, chunked.Apen, chunked.Real,
            conditional.Bits, conditional.MillerMadowCorrection, conditional.Transitions);
    }

    /// <summary>
    /// The estimators over the concatenation of all windows (user order) cut into chunks of <c>ChunkTokens</c>, averaged over
    /// chunks, as P-Law's scripts do for Shannon and compression. A last chunk shorter than half a chunk is left out, unless
    /// it is the only one.
    /// </summary>
    private static (double Shannon, double Compression, double Apen, double Real) Chunked(
        SequenceSet set, int maxLength, EntropyTableOptions options, ParallelOptions parallel)
    {
        long total = 0;
        for (var u = 0; u < set.UserCount; u++) total += set.Window(u, maxLength).Length;
        if (total == 0) return (0, 0, 0, 0);
        var stream = new int[total];
        var at = 0;
        for (var u = 0; u < set.UserCount; u++)
        {
            var window = set.Window(u, maxLength);
            window.CopyTo(stream.AsSpan(at));
            at += window.Length;
        }

        var size = options.ChunkTokens;
        var chunks = (int)((total + size - 1) / size);
        if (chunks > 1 && total - (long)(chunks - 1) * size < size / 2) chunks--;
        var results = new (double Shannon, double Compression, double Apen, double Real)[chunks];
        Parallel.For(0, chunks, parallel, c =>
        {
            var w = EntropyWorkspace.Current;
            var start = c * size;
            var length = (int)Math.Min(size, total - start);
            var chunk = stream.AsSpan(start, length);
            results[c] = (ShannonEntropy.Bits(chunk, w), CompressionRatio.Compute(chunk, w),
                options.R == 0 ? ApproximateEntropy.ExactMatch(chunk, options.M, w) : ApproximateEntropy.Compute(chunk, options.M, options.R),
                RealEntropy.Textbook(chunk, w));
        });
        double shannon = 0, compression = 0, apen = 0, real = 0;
        foreach (var r in results)
        {
            shannon += r.Shannon;
            compression += r.Compression;
            apen += r.Apen;
            real += r.Real;
        }
        return (shannon / chunks, compression / chunks, apen / chunks, real / chunks);
    }

    private static bool AllDistinct(ReadOnlySpan<int> window, EntropyWorkspace w)
    {
        w.Map.Reset(window.Length);
        foreach (var item in window)
        {
            w.Map.GetOrAdd(item, 0, out var added);
            if (!added) return false;
        }
        return true;
    }

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }

    private sealed class ScaledProgress(IProgress<double> target, int done, int rows)
    {
        public void Report(double fraction) => target.Report((done + fraction) / rows);
    }
}
