using System.Runtime.CompilerServices;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// Approximate entropy ApEn(m, r) as P-Law computes it (Pincus 1991): for k ∈ {m, m+1},
/// C_i = #{j : max_t |u_{i+t} − u_{j+t}| ≤ r} / (n−k+1) over the n−k+1 windows of length k (i counts itself),
/// Φ_k = (1/(n−k+1)) Σ_i ln C_i (0 when n−k+1 ≤ 0), and ApEn = |Φ_{m+1} − Φ_m|.
/// </summary>
public static class ApproximateEntropy
{
    public static double Compute(ReadOnlySpan<int> sequence, int m = 2, int r = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(r);
        return r == 0 ? ExactMatch(sequence, m, EntropyWorkspace.Current) : WithTolerance(sequence, m, r);
    }

    /// <summary>
    /// r = 0: windows match only when equal, so C_i is the size of window i's class. Windows of length k get dense class
    /// ids from (class of the length k−1 window, next item) — exact, O(n·k), no pairwise scan.
    /// Σ_i ln C_i = Σ_classes c · ln(c / N).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double ExactMatch(ReadOnlySpan<int> u, int m, EntropyWorkspace w)
    {
        var n = u.Length;
        if (n - m + 1 <= 0) return 0; // both Φ are 0
        var ids = EntropyWorkspace.Ensure(ref w.Ids, n);
        u.CopyTo(ids); // classes of length-1 windows: the items themselves
        double phiM = 0, phiM1 = 0;
        for (var k = 2; k <= m + 1; k++)
        {
            var windows = n - k + 1;
            if (windows <= 0) break;
            w.Map.Reset(windows);
            for (var i = 0; i < windows; i++)
                ids[i] = w.Map.GetOrAdd(LongIntMap.Pair(ids[i], u[i + k - 1]), w.Map.Count, out _);
            if (k == m) phiM = Phi(ids.AsSpan(0, windows), w.Map.Count, w);
            if (k == m + 1) phiM1 = Phi(ids.AsSpan(0, windows), w.Map.Count, w);
        }
        if (m == 1) phiM = PhiOfItems(u, w);
        return Math.Abs(phiM1 - phiM);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Phi(ReadOnlySpan<int> classes, int classCount, EntropyWorkspace w)
    {
        var counts = EntropyWorkspace.Ensure(ref w.Counts, classCount);
        Array.Clear(counts, 0, classCount);
        foreach (var c in classes) counts[c]++;
        double sum = 0;
        var total = (double)classes.Length;
        // A long sequence has thousands of classes but few distinct class sizes: ln(size / N) is computed once per size.
        // The same terms in the same order, so the sum is the one the definition gives, to the bit.
        Span<double> lnOfSize = stackalloc double[SizesRemembered];
        lnOfSize.Clear(); // 0 = not computed yet; ln(size / N) is never 0 for size < N
        for (var c = 0; c < classCount; c++)
        {
            var size = counts[c];
            double ln;
            if (size < SizesRemembered)
            {
                ln = lnOfSize[size];
                if (ln == 0) ln = lnOfSize[size] = Math.Log(size / total);
            }
            else
            {
                ln = Math.Log(size / total);
            }
            sum += size * ln;
        }
        return sum / total;
    }

    private const int SizesRemembered = 32;

    private static double PhiOfItems(ReadOnlySpan<int> u, EntropyWorkspace w)
    {
        w.Map.Reset(u.Length);
        var ids = EntropyWorkspace.Ensure(ref w.Sorted, u.Length);
        for (var i = 0; i < u.Length; i++)
            ids[i] = w.Map.GetOrAdd(u[i], w.Map.Count, out _);
        return Phi(ids.AsSpan(0, u.Length), w.Map.Count, w);
    }

    /// <summary>r &gt; 0: nearby ids count as matches, so classes do not exist; the pairwise scan of the definition.</summary>
    private static double WithTolerance(ReadOnlySpan<int> u, int m, int r) =>
        Math.Abs(PairwisePhi(u, m + 1, r) - PairwisePhi(u, m, r));

    internal static double PairwisePhi(ReadOnlySpan<int> u, int k, int r)
    {
        var windows = u.Length - k + 1;
        if (windows <= 0) return 0;
        double sum = 0;
        for (var i = 0; i < windows; i++)
        {
            var matches = 0;
            for (var j = 0; j < windows; j++)
            {
                var t = 0;
                while (t < k && Math.Abs((long)u[i + t] - u[j + t]) <= r) t++;
                if (t == k) matches++;
            }
            sum += Math.Log(Math.Max(matches / (double)windows, 1e-10));
        }
        return sum / windows;
    }
}
