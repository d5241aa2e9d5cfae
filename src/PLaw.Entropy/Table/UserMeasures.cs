using System.Runtime.CompilerServices;
using PLaw.Data.Sequences;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>One row's per-user measures, indexed by user; the row's means are taken over them in user order.</summary>
internal sealed class UserColumns(int users)
{
    public readonly double[] Apen = new double[users];
    public readonly double[] Real = new double[users];
    public readonly double[] RealReference = new double[users];
    public readonly double[] Shannon = new double[users];
    public readonly double[] Compression = new double[users];
    public readonly bool[] AllDistinct = new bool[users];

    public void CopyUser(int user, UserColumns from)
    {
        Apen[user] = from.Apen[user];
        Real[user] = from.Real[user];
        RealReference[user] = from.RealReference[user];
        Shannon[user] = from.Shannon[user];
        Compression[user] = from.Compression[user];
        AllDistinct[user] = from.AllDistinct[user];
    }
}

/// <summary>
/// The per-user estimators for every row at once. A user's window for max length L is its newest min(n, L) items, so
/// every row with L ≥ n sees the same window (most users of a real dataset are shorter than the smallest L): each
/// distinct window is measured once and its values copied to the other rows. A window that never repeats an item takes
/// its ApEn and real entropies from <see cref="AllDistinctWindows"/> (they depend on its length alone).
/// </summary>
internal static class UserMeasures
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Measure(SequenceSet set, int from, int to, int[] maxLengths, UserColumns[] columns,
        EntropyTableOptions options, EntropyWorkspace w)
    {
        var effective = new int[maxLengths.Length];
        for (var u = from; u < to; u++)
        {
            var sequence = set.Sequence(u);
            for (var r = 0; r < maxLengths.Length; r++)
            {
                var length = Math.Min(sequence.Length, maxLengths[r]);
                effective[r] = length;
                var same = Array.IndexOf(effective, length, 0, r);
                if (same >= 0)
                    columns[r].CopyUser(u, columns[same]);
                else
                    MeasureWindow(sequence[(sequence.Length - length)..], u, columns[r], options, w);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MeasureWindow(ReadOnlySpan<int> window, int u, UserColumns c, EntropyTableOptions options, EntropyWorkspace w)
    {
        c.Shannon[u] = ShannonEntropy.Bits(window, w, out c.AllDistinct[u]);
        if (c.AllDistinct[u] && options.R == 0)
            w.AllDistinct.Measures(window.Length, options.M, w, out c.Apen[u], out c.Real[u], out c.RealReference[u]);
        else
        {
            c.Apen[u] = options.R == 0 ? ApproximateEntropy.ExactMatch(window, options.M, w) : ApproximateEntropy.Compute(window, options.M, options.R);
            c.Real[u] = RealEntropy.Textbook(window, w);
            c.RealReference[u] = RealEntropy.Reference(window, w);
        }
        c.Compression[u] = CompressionRatio.Compute(window, w);
    }
}
