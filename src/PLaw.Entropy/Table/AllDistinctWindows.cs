using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// Per-user ApEn (r = 0) and both real entropies of a window in which no item repeats depend on its length n alone: every
/// window of length k is its own class, so Φ_k sums the same n−k+1 terms ln(1/(n−k+1)) in the same order whatever the ids,
/// and every Λ_i = 1 (the item at i was never seen before), so S = ln n in both variants. They are computed once per
/// length (and m), by the same estimators on the window 1..n, so the values equal the window's own to the bit. Most users
/// of P-Law's datasets never repeat an item (all of Amazon Games', MovieLens'). One per thread, in its workspace.
/// </summary>
internal sealed class AllDistinctWindows
{
    // Plain arrays and out parameters, not tuples, and no LINQ: their code over doubles has no ReadyToRun code and would be
    // compiled at run time on the table's start.
    private int m = -1;
    private double[] apen = new double[256], real = new double[256], reference = new double[256];
    private bool[] known = new bool[256];
    private int[] window = [];

    public void Measures(int length, int apenM, EntropyWorkspace w, out double apenValue, out double realValue, out double referenceValue)
    {
        if (apenM != m)
        {
            Array.Clear(known); // the values held are for another m
            m = apenM;
        }
        if (length >= known.Length)
        {
            var size = Math.Max(length + 1, 2 * known.Length);
            (known, apen, real, reference) = (Grown(known, size), Grown(apen, size), Grown(real, size), Grown(reference, size));
        }
        if (!known[length])
        {
            if (window.Length < length)
            {
                window = new int[Math.Max(length, 2 * window.Length)];
                for (var i = 0; i < window.Length; i++) window[i] = i + 1;
            }
            var distinct = window.AsSpan(0, length);
            apen[length] = ApproximateEntropy.ExactMatch(distinct, m, w);
            real[length] = RealEntropy.Textbook(distinct, w);
            reference[length] = RealEntropy.Reference(distinct, w);
            known[length] = true;
        }
        (apenValue, realValue, referenceValue) = (apen[length], real[length], reference[length]);
    }

    private static T[] Grown<T>(T[] values, int size)
    {
        var grown = new T[size];
        Array.Copy(values, grown, values.Length);
        return grown;
    }
}
