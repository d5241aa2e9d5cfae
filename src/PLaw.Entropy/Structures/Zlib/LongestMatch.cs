using static PLaw.Entropy.Structures.Zlib.DeflateParameters;

namespace PLaw.Entropy.Structures.Zlib;

internal sealed unsafe partial class DeflateSize
{
    /// <summary>
    /// longest_match (the portable, non-UNALIGNED_OK version): walk the hash chain from <paramref name="curMatch"/>, at most
    /// max_chain entries (a quarter once prev_length ≥ good_match), stopping at nice_match; set match_start to the first
    /// longest candidate and return its length capped at lookahead.
    /// </summary>
    private int LongestMatch(int curMatch)
    {
        var chainLength = MaxChain;
        var w = window;
        var scan = strstart;
        var bestLen = prevLength;
        var niceMatch = NiceMatch;
        var limit = strstart > MaxDist ? strstart - MaxDist : 0;
        var scanEnd1 = w[scan + bestLen - 1];
        var scanEnd = w[scan + bestLen];

        if (prevLength >= GoodMatch) chainLength >>= 2;
        if (niceMatch > lookahead) niceMatch = lookahead;

        do
        {
            var match = curMatch;
            if (w[match + bestLen] != scanEnd || w[match + bestLen - 1] != scanEnd1 || w[match] != w[scan] ||
                w[match + 1] != w[scan + 1])
                continue;

            // zlib does not compare byte 2: equal hashes and equal bytes 0 and 1 imply it. Its unrolled loop stops at the
            // first difference from byte 3 on, or at MAX_MATCH.
            var len = 3;
            while (len < MaxMatch && w[scan + len] == w[match + len]) len++;

            if (len > bestLen)
            {
                matchStart = curMatch;
                bestLen = len;
                if (len >= niceMatch) break;
                scanEnd1 = w[scan + bestLen - 1];
                scanEnd = w[scan + bestLen];
            }
        } while ((curMatch = prev[curMatch & WMask]) > limit && --chainLength != 0);

        return bestLen <= lookahead ? bestLen : lookahead;
    }
}
