using System.Runtime.CompilerServices;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>Shannon entropy in bits of the item frequencies within a sequence: H = −Σ_i p_i log₂ p_i.</summary>
public static class ShannonEntropy
{
    /// <summary>Math.Log2(k) for the small counts nearly every run has, computed once (the same values).</summary>
    private static readonly double[] Log2OfSmall = SmallLog2s(256);

    private static double[] SmallLog2s(int count)
    {
        var values = new double[count];
        for (var k = 0; k < count; k++) values[k] = Math.Log2(k);
        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Log2(int count) => (uint)count < (uint)Log2OfSmall.Length ? Log2OfSmall[count] : Math.Log2(count);

    public static double Bits(ReadOnlySpan<int> sequence) => Bits(sequence, EntropyWorkspace.Current);

    internal static double Bits(ReadOnlySpan<int> u, EntropyWorkspace w) => Bits(u, w, out _);

    /// <summary>
    /// The same value for ids in 0..<paramref name="maxId"/>, by counting instead of sorting (a 10,000-token chunk of a
    /// table): the runs of the sorted copy are the counts in id order, so the sum runs in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double BitsOfDenseIds(ReadOnlySpan<int> u, int maxId, EntropyWorkspace w)
    {
        var n = u.Length;
        if (n == 0) return 0;
        var counts = EntropyWorkspace.Ensure(ref w.Counts, maxId + 1).AsSpan(0, maxId + 1);
        counts.Clear();
        foreach (var id in u) counts[id]++;
        double sum = 0;
        foreach (var run in counts)
            if (run > 0)
                sum += run * Log2(run);
        return Math.Max(0, Math.Log2(n) - sum / n);
    }

    /// <summary>The same, and whether no item occurs twice (every run of the sorted copy is 1 long), from the one sort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Bits(ReadOnlySpan<int> u, EntropyWorkspace w, out bool allDistinct)
    {
        var n = u.Length;
        allDistinct = true;
        if (n == 0) return 0;
        var sorted = EntropyWorkspace.Ensure(ref w.Sorted, n).AsSpan(0, n);
        u.CopyTo(sorted);
        sorted.Sort();
        double sum = 0;
        var run = 1;
        for (var i = 1; i <= n; i++)
        {
            if (i < n && sorted[i] == sorted[i - 1])
            {
                run++;
                continue;
            }
            if (run > 1) allDistinct = false;
            sum += run * Log2(run);
            run = 1;
        }
        // −Σ p log₂ p with p = c/n equals log₂ n − (1/n) Σ c log₂ c
        return Math.Max(0, Math.Log2(n) - sum / n);
    }
}
