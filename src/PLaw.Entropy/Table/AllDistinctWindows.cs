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
    private int m = -1;
    private (double Apen, double Real, double Reference)[] values = [];
    private bool[] known = [];
    private int[] window = [];

    public (double Apen, double Real, double Reference) Measures(int length, int apenM, EntropyWorkspace w)
    {
        if (apenM != m || length >= known.Length)
        {
            var size = Math.Max(length + 1, apenM == m ? 2 * known.Length : 256);
            if (apenM != m) known = new bool[size];
            else Array.Resize(ref known, size);
            Array.Resize(ref values, size);
            m = apenM;
        }
        if (known[length]) return values[length];
        if (window.Length < length) window = Enumerable.Range(1, Math.Max(length, 2 * window.Length)).ToArray();
        var distinct = window.AsSpan(0, length);
        values[length] = (ApproximateEntropy.ExactMatch(distinct, m, w), RealEntropy.Textbook(distinct, w), RealEntropy.Reference(distinct, w));
        known[length] = true;
        return values[length];
    }
}
