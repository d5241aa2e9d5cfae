using System.Numerics;
using System.Runtime.CompilerServices;
using static PLaw.Entropy.Structures.Zlib.DeflateParameters;

namespace PLaw.Entropy.Structures.Zlib;

internal sealed unsafe partial class DeflateSize
{
    /// <summary>
    /// longest_match (the portable, non-UNALIGNED_OK version): walk the hash chain from <paramref name="curMatch"/>, at most
    /// max_chain entries (a quarter once prev_length ≥ good_match), stopping at nice_match; set match_start to the first
    /// longest candidate and return its length capped at lookahead. The chain walk, its limits and the order of candidates
    /// are zlib's (the links come from <typeparamref name="TChain"/>); only the byte comparisons are done several bytes at a time (see <see cref="MatchLength"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int LongestMatch<TChain>(int curMatch, TChain chain) where TChain : struct, IChainWalk
    {
        var chainLength = MaxChain;
        var scan = w + strstart;
        var bestLen = prevLength;
        var niceMatch = NiceMatch;
        var limit = strstart > MaxDist ? strstart - MaxDist : 0;
        // zlib's four rejection tests (match[best_len] and match[best_len − 1] against scan_end and scan_end1, then bytes 0
        // and 1) as two 2-byte compares of the same four bytes: a candidate passes exactly when all four are equal.
        var scanStart = Unsafe.ReadUnaligned<ushort>(scan);
        var scanEnd = Unsafe.ReadUnaligned<ushort>(scan + bestLen - 1);

        if (prevLength >= GoodMatch) chainLength >>= 2;
        if (niceMatch > lookahead) niceMatch = lookahead;

        do
        {
            var match = w + curMatch;
            if (Unsafe.ReadUnaligned<ushort>(match + bestLen - 1) != scanEnd || Unsafe.ReadUnaligned<ushort>(match) != scanStart)
                continue;

            var len = MatchLength(scan, match);
            if (len > bestLen)
            {
                matchStart = curMatch;
                bestLen = len;
                if (len >= niceMatch) break;
                scanEnd = Unsafe.ReadUnaligned<ushort>(scan + bestLen - 1);
            }
        } while ((curMatch = chain.Next(curMatch)) > limit && --chainLength != 0);

        return bestLen <= lookahead ? bestLen : lookahead;
    }

    /// <summary>
    /// zlib's inner loop: bytes 0 and 1 are equal and byte 2 is not compared (equal hashes and equal bytes 0 and 1 imply it);
    /// the length is the index of the first difference from byte 3 on, or MAX_MATCH if bytes 3..257 are equal (zlib also
    /// compares byte 258, but stops there either way). Eight bytes at a time: the lowest differing byte of the XOR of two
    /// little-endian words is the first difference. Reads reach scan + 258 at most (3 + 31·8 + 8 bytes), which lies in the
    /// window since strstart ≤ window_size − MIN_LOOKAHEAD, the same bytes zlib may read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MatchLength(byte* scan, byte* match)
    {
        for (var len = 3; len < MaxMatch; len += 8)
        {
            var x = Unsafe.ReadUnaligned<ulong>(scan + len) ^ Unsafe.ReadUnaligned<ulong>(match + len);
            if (x != 0)
            {
                len += (BitConverter.IsLittleEndian ? BitOperations.TrailingZeroCount(x) : BitOperations.LeadingZeroCount(x)) >> 3;
                return len < MaxMatch ? len : MaxMatch;
            }
        }
        return MaxMatch;
    }
}
