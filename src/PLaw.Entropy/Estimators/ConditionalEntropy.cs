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
    /// <summary>
    /// <see cref="Compute"/> for several max lengths in one pass over the longest windows: a user's window for a shorter L
    /// is a suffix of its longest, so each transition is looked up once and counted for every row whose window holds it.
    /// Each row keeps its pairs in the order of their first occurrence in its own windows, so its sum runs in the order
    /// <see cref="Compute"/> uses, and the values are the same to the bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Bits, double MillerMadowCorrection, long Transitions, long DistinctPairs)[] ComputeRows(SequenceSet set,
        IReadOnlyList<int> maxLengths)
    {
        var rows = maxLengths.Count;
        var lengths = new int[rows];
        var longest = 0;
        for (var r = 0; r < rows; r++)
        {
            var l = lengths[r] = maxLengths[r];
            ArgumentOutOfRangeException.ThrowIfLessThan(l, 1);
            longest = Math.Max(longest, l);
        }
        var transitions = new long[rows];
        long longestTransitions = 0;
        for (var u = 0; u < set.UserCount; u++)
        {
            var n = set.Length(u);
            longestTransitions += Math.Max(0, Math.Min(n, longest) - 1);
            for (var r = 0; r < rows; r++) transitions[r] += Math.Max(0, Math.Min(n, lengths[r]) - 1);
        }
        var results = new (double, double, long, long)[rows];
        if (longestTransitions == 0) return results;

        var pairs = new LongIntMap();
        pairs.Reset((int)Math.Min(longestTransitions, 1 << 26));
        var pairCurrent = new List<int>((int)Math.Min(longestTransitions, 1 << 20));
        var pairCounts = new int[rows][];
        var firstSeen = new List<int>[rows]; // row r's pairs (global indices) in the order its own windows first show them
        var currentCounts = new long[rows][];
        for (var r = 0; r < rows; r++)
        {
            pairCounts[r] = new int[pairCurrent.Capacity];
            firstSeen[r] = new List<int>(pairCurrent.Capacity);
            currentCounts[r] = new long[set.ItemCount + 1];
        }
        // The transitions in order, flat: each pair's key, its current item and how far from its user's end it starts (a
        // row of length L holds it when that is ≤ L). Lookups then run down one array and can prefetch their entries.
        var total = (int)longestTransitions;
        var keys = new long[total];
        var currentItems = new int[total];
        var fromEnd = new int[total];
        for (int u = 0, i = 0; u < set.UserCount; u++)
        {
            var sequence = set.Sequence(u);
            var n = sequence.Length;
            for (var t = n - Math.Min(n, longest); t + 1 < n; t++, i++)
                (keys[i], currentItems[i], fromEnd[i]) = (LongIntMap.Pair(sequence[t], sequence[t + 1]), sequence[t], n - t);
        }

        const int Ahead = 16;
        for (var i = 0; i < total; i++)
        {
            if (i + Ahead < total) pairs.Prefetch(keys[i + Ahead]);
            var item = currentItems[i];
            var index = pairs.GetOrAdd(keys[i], pairCurrent.Count, out var added);
            if (added)
            {
                pairCurrent.Add(item);
                if (index == pairCounts[0].Length)
                    for (var r = 0; r < rows; r++) Array.Resize(ref pairCounts[r], 2 * index);
            }
            for (var r = 0; r < rows; r++)
            {
                if (fromEnd[i] > lengths[r]) continue;
                if (pairCounts[r][index]++ == 0) firstSeen[r].Add(index);
                currentCounts[r][item]++;
            }
        }

        for (var r = 0; r < rows; r++)
        {
            if (transitions[r] == 0) continue;
            double sum = 0;
            var (counts, current) = (pairCounts[r], currentCounts[r]);
            // Most pairs are seen once, and then their term is log₂ c_a exactly (c_a / 1 = c_a): one logarithm per item.
            var log2Current = new double[current.Length];
            for (var a = 0; a < current.Length; a++)
                if (current[a] > 0) log2Current[a] = Math.Log2(current[a]);
            foreach (var p in firstSeen[r])
            {
                var (count, a) = (counts[p], pairCurrent[p]);
                sum += count == 1 ? log2Current[a] : count * Math.Log2((double)current[a] / count);
            }
            var distinctCurrent = 0;
            foreach (var c in current)
                if (c > 0) distinctCurrent++;
            var distinctPairs = firstSeen[r].Count;
            var correction = (distinctPairs - distinctCurrent) / (2.0 * transitions[r] * Math.Log(2));
            results[r] = (sum / transitions[r], correction, transitions[r], distinctPairs);
        }
        return results;
    }
}
