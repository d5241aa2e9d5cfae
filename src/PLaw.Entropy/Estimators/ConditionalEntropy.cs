using System.Runtime.CompilerServices;
using PLaw.Data.Sequences;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// Pooled first-order conditional entropy H(next | current) in bits, over the transitions (u_t, u_{t+1}) of every user's
/// window of the last L items: H = (1/N) Σ_{a,b} c_ab log₂(c_a / c_ab), with c_a = Σ_b c_ab and N transitions.
/// The plug-in estimate is biased low when pairs are seen few times; the Miller–Madow correction for
/// H(X,Y) − H(X) is (K_ab − K_a) / (2N ln 2) bits, with K the numbers of distinct pairs and distinct current items.
/// </summary>
public static class ConditionalEntropy
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Bits, double MillerMadowCorrection, long Transitions, long DistinctPairs) Compute(SequenceSet set, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        long transitions = 0;
        for (var u = 0; u < set.UserCount; u++)
            transitions += Math.Max(0, set.Window(u, maxLength).Length - 1);
        if (transitions == 0) return (0, 0, 0, 0);

        var pairs = new LongIntMap();
        pairs.Reset((int)Math.Min(transitions, 1 << 26));
        var pairCounts = new List<int>((int)Math.Min(transitions, 1 << 20));
        var pairCurrent = new List<int>(pairCounts.Capacity);
        var currentCounts = new long[set.ItemCount + 1];
        for (var u = 0; u < set.UserCount; u++)
        {
            var window = set.Window(u, maxLength);
            for (var t = 0; t + 1 < window.Length; t++)
            {
                var index = pairs.GetOrAdd(LongIntMap.Pair(window[t], window[t + 1]), pairCounts.Count, out var added);
                if (added)
                {
                    pairCounts.Add(0);
                    pairCurrent.Add(window[t]);
                }
                pairCounts[index]++;
                currentCounts[window[t]]++;
            }
        }

        double sum = 0;
        for (var p = 0; p < pairCounts.Count; p++)
            sum += pairCounts[p] * Math.Log2((double)currentCounts[pairCurrent[p]] / pairCounts[p]);
        var distinctCurrent = currentCounts.Count(c => c > 0);
        var correction = (pairCounts.Count - distinctCurrent) / (2.0 * transitions * Math.Log(2));
        return (sum / transitions, correction, transitions, pairCounts.Count);
    }
}
