using System.Runtime.CompilerServices;
using static PLaw.Entropy.Structures.Zlib.DeflateParameters;

namespace PLaw.Entropy.Structures.Zlib;

internal sealed unsafe partial class DeflateSize
{
    /// <summary>
    /// longest_match on <see cref="SortedHashChains"/> without visiting every chain entry, same result.
    /// <para>
    /// What zlib computes: it visits the chain entries c1 = hash_head, c2, … newest first, c1 always, then while
    /// c_j &gt; limit and j ≤ chain_length; these are the positions of the hash bucket between
    /// <see cref="SortedHashChains.OldestWithin"/> and c1 (and above limit, but c1 itself). A candidate whose bytes 0 and 1
    /// differ from scan's is rejected (byte 2 then equal through the hash); otherwise its length is
    /// <see cref="MatchLength"/>. It is accepted when its length exceeds best_len (initially prev_length), and the walk stops
    /// at the first accepted length ≥ nice_match. So the result is the first visited candidate, in chain order, maximising
    /// min(length, nice_match) among those longer than prev_length; the pre-checks at best_len only skip candidates that
    /// could not be accepted.
    /// </para>
    /// <para>
    /// Here: a length ≥ 4 needs bytes 0..3 equal, so those candidates are all on <see cref="SortedHashChains.SameFour"/>'s
    /// list (a superset, newest first; entries from other buckets or outside the visited range are skipped). Walking it in
    /// order with zlib's accept/stop rule, lengths of 3 ignored, finds the same candidate if any has length ≥ 4 (nice_match
    /// ≥ 4, so zlib cannot stop at a 3). Otherwise only a length of 3 can be accepted, and only when prev_length is 2: the
    /// first visited candidate whose bytes 0 and 1 match, found by walking the chain itself until one does. Needs lookahead ≥ 4 (scan's 4 bytes lie in the input, and nice_match ≥ 4) and a visited
    /// range starting above limit; otherwise the caller walks the chain.
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int LongestMatchByFourBytes(int hashHead)
    {
        var sortedChains = this.sortedChains!;
        var chainLength = prevLength >= GoodMatch ? MaxChain >> 2 : MaxChain;
        var limit = strstart > MaxDist ? strstart - MaxDist : 0;
        var oldest = sortedChains.OldestWithin(hashHead, chainLength);
        if (oldest <= limit) oldest = limit + 1;
        if (lookahead < 4 || oldest > hashHead)
            return LongestMatch(hashHead, new SortedLinks(sortedChains.Slot(hashHead)));

        var scan = w + strstart;
        var niceMatch = lookahead < NiceMatch ? lookahead : NiceMatch;
        var scanStart = Unsafe.ReadUnaligned<ushort>(scan);
        var bucket = sortedChains.HashOf(hashHead);
        var bestLen = prevLength;

        for (var q = sortedChains.SameFour(strstart); q >= oldest; q = sortedChains.SameFour(q))
        {
            if (q > hashHead || sortedChains.HashOf(q) != bucket || Unsafe.ReadUnaligned<ushort>(w + q) != scanStart) continue;
            var len = MatchLength(scan, w + q);
            if (len > bestLen && len > MinMatch) // a 3 here (4-byte hash collision) is left to the chain walk below
            {
                matchStart = q;
                bestLen = len;
                if (len >= niceMatch) break;
            }
        }

        if (bestLen == MinMatch - 1)
        {
            var slot = sortedChains.Slot(hashHead);
            for (var q = hashHead; q >= oldest; q = *--slot)
            {
                if (Unsafe.ReadUnaligned<ushort>(w + q) != scanStart) continue;
                matchStart = q;
                bestLen = MatchLength(scan, w + q); // 3: a longer one would have been on the four-byte list
                break;
            }
        }

        return bestLen <= lookahead ? bestLen : lookahead;
    }
}
