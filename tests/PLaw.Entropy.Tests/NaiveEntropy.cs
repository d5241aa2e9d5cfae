namespace PLaw.Entropy.Reference;

/// <summary>
/// Straightforward implementations of the definitions, O(n²) or worse: the slow reference the fast estimators are checked
/// against (tests) and timed against (bench/PLaw.Entropy.Bench links this file).
/// </summary>
public static class NaiveEntropy
{
    public static double ApEn(ReadOnlySpan<int> u, int m, int r) => Math.Abs(Phi(u, m + 1, r) - Phi(u, m, r));

    private static double Phi(ReadOnlySpan<int> u, int k, int r)
    {
        var windows = u.Length - k + 1;
        if (windows <= 0) return 0;
        double sum = 0;
        for (var i = 0; i < windows; i++)
        {
            var matches = 0;
            for (var j = 0; j < windows; j++)
            {
                var max = 0L;
                for (var t = 0; t < k; t++) max = Math.Max(max, Math.Abs((long)u[i + t] - u[j + t]));
                if (max <= r) matches++;
            }
            sum += Math.Log(Math.Max((double)matches / windows, 1e-10));
        }
        return sum / windows;
    }

    /// <summary>Textbook Λ_i by longest-common-prefix dynamic programming: O(n²) time, two rows of memory.</summary>
    public static double RealTextbook(ReadOnlySpan<int> u)
    {
        var n = u.Length;
        if (n == 0) return 0;
        // lcp_i[j] = common prefix length of the suffixes at i and j, from lcp_{i+1}[j+1]; rows computed from the end.
        var below = new int[n + 1];
        var row = new int[n + 1];
        long sum = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            var longest = 0; // longest prefix of u_i.. lying wholly inside u_0..u_{i−1}
            for (var j = 0; j < n; j++)
            {
                row[j] = u[i] == u[j] ? below[j + 1] + 1 : 0;
                if (j < i) longest = Math.Max(longest, Math.Min(row[j], i - j));
            }
            row[n] = 0;
            sum += longest >= n - i ? n - i + 1 : longest + 1;
            (below, row) = (row, below);
        }
        return n * Math.Log(n) / sum;
    }

    /// <summary>Reference (P-Law code) variant with a set of strings, as the Python does.</summary>
    public static double RealReference(ReadOnlySpan<int> u)
    {
        var n = u.Length;
        if (n == 0) return 0;
        var seen = new HashSet<string>();
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            var lambda = n - i + 1;
            for (var length = 1; i + length <= n; length++)
            {
                var key = string.Join(',', u.Slice(i, length).ToArray());
                if (seen.Add(key))
                {
                    lambda = length;
                    break;
                }
            }
            sum += lambda;
        }
        return n * Math.Log(n) / sum;
    }

    public static double ShannonBits(ReadOnlySpan<int> u)
    {
        if (u.Length == 0) return 0;
        double h = 0;
        foreach (var group in u.ToArray().GroupBy(x => x))
        {
            var p = group.Count() / (double)u.Length;
            h -= p * Math.Log2(p);
        }
        return h;
    }

    public static double CompressionRatio(ReadOnlySpan<int> u)
    {
        if (u.Length == 0) return 0;
        var raw = new byte[4 * u.Length];
        for (var i = 0; i < u.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4 * i), u[i]);
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);
        return output.Length / (double)raw.Length;
    }

    /// <summary>One table row from the definitions alone: one thread, no hashing, no automaton, a new zlib stream per sequence.</summary>
    public static EntropyRow Row(PLaw.Data.Sequences.SequenceSet set, int maxLength, int m = 2, int r = 0, int chunkTokens = 10_000)
    {
        var windows = Enumerable.Range(0, set.UserCount).Select(u => set.Window(u, maxLength).ToArray()).ToList();
        var users = windows.Count;
        var tokens = windows.Sum(w => (long)w.Length);
        var apen = windows.Average(w => ApEn(w, m, r));
        var real = windows.Average(w => RealTextbook(w));
        var stream = windows.SelectMany(w => w).ToArray();
        var chunks = Enumerable.Range(0, (stream.Length + chunkTokens - 1) / chunkTokens)
            .Select(c => stream.Skip(c * chunkTokens).Take(chunkTokens).ToArray()).ToList();
        if (chunks.Count > 1 && chunks[^1].Length < chunkTokens / 2) chunks.RemoveAt(chunks.Count - 1);
        var pairs = windows.SelectMany(w => w.Zip(w.Skip(1))).ToList();
        var conditional = pairs.GroupBy(p => p.First).Sum(current =>
            current.GroupBy(p => p.Second).Sum(next => next.Count() * Math.Log2((double)current.Count() / next.Count()))) / Math.Max(1, pairs.Count);
        var distinctPairs = pairs.Distinct().Count();
        var distinctCurrent = pairs.Select(p => p.First).Distinct().Count();
        return new EntropyRow(maxLength, users, stream.Distinct().Count(), tokens, (double)tokens / users,
            apen, real, windows.Average(w => RealReference(w)), windows.Average(w => ShannonBits(w)), windows.Average(w => CompressionRatio(w)),
            apen > 0 ? tokens / apen : 0, tokens * real, windows.Count(w => w.Distinct().Count() == w.Length) / (double)users,
            chunks.Average(c => ShannonBits(c)), chunks.Average(c => CompressionRatio(c)), chunks.Average(c => ApEn(c, m, r)),
            chunks.Average(c => RealTextbook(c)), conditional,
            pairs.Count == 0 ? 0 : (distinctPairs - distinctCurrent) / (2.0 * pairs.Count * Math.Log(2)), pairs.Count);
    }
}
