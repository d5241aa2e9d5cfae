using System.Runtime.CompilerServices;
using static PLaw.Entropy.Structures.Zlib.TreeTables;

namespace PLaw.Entropy.Structures.Zlib;

/// <summary>
/// The bit count of deflate's output blocks: _tr_tally's symbol counts and _tr_flush_block's choice among stored, fixed and
/// dynamic blocks (with build_bl_tree and scan_tree for the tree representation), as trees.c 1.2.13 does it. No bits are
/// emitted: <see cref="Bits"/> is what send_bits/bi_windup would have written.
/// </summary>
internal sealed class BlockCost
{
    private readonly HuffmanTree literals = HuffmanTree.Literals();
    private readonly HuffmanTree distances = HuffmanTree.Distances();
    private readonly HuffmanTree bitLengths = HuffmanTree.BitLengths();
    private readonly TreeBuilder builder = new();
    private int symbols;

    /// <summary>Bits written so far (bi_valid included).</summary>
    public long Bits;

    /// <summary>_tr_init: a new stream.</summary>
    public void Reset()
    {
        Bits = 0;
        InitBlock();
    }

    /// <summary>_tr_tally_lit; true when the block is full (sym_next == sym_end).</summary>
    public bool TallyLiteral(byte c)
    {
        literals.Freq[c]++;
        return ++symbols == DeflateParameters.SymbolsPerBlock;
    }

    /// <summary>_tr_tally_dist with zlib's argument conventions: distance = strstart − 1 − prev_match, length = match − MIN_MATCH.</summary>
    public bool TallyDistance(int distance, int length)
    {
        var dist = (ushort)(distance - 1);
        literals.Freq[LengthCode[(byte)length] + Literals + 1]++;
        distances.Freq[DistanceCode(dist)]++;
        return ++symbols == DeflateParameters.SymbolsPerBlock;
    }

    /// <summary>_tr_flush_block: <paramref name="bufferAvailable"/> is zlib's buf != NULL (block_start ≥ 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FlushBlock(bool bufferAvailable, long storedLen, bool last)
    {
        builder.Build(literals);
        builder.Build(distances);
        BuildBlTree();
        var optLenb = (builder.OptLen + 3 + 7) >> 3;
        var staticLenb = (builder.StaticLen + 3 + 7) >> 3;
        if (staticLenb <= optLenb) optLenb = staticLenb;

        if (storedLen + 4 <= optLenb && bufferAvailable)
        {
            // _tr_stored_block: 3 header bits, bi_windup, LEN and NLEN, the bytes.
            Bits = AlignToByte(Bits + 3) + 32 + 8 * storedLen;
        }
        else if (staticLenb == optLenb)
            Bits += 3 + builder.StaticLen;
        else
            Bits += 3 + builder.OptLen; // opt_len includes send_all_trees' 5 + 5 + 4 + 3·blcodes and the tree itself

        InitBlock();
        if (last) Bits = AlignToByte(Bits);
    }

    private static long AlignToByte(long bits) => (bits + 7) & ~7L;

    private void InitBlock()
    {
        literals.ClearFrequencies();
        distances.ClearFrequencies();
        bitLengths.ClearFrequencies();
        literals.Freq[EndBlock] = 1;
        builder.OptLen = builder.StaticLen = 0;
        symbols = 0;
    }

    /// <summary>build_bl_tree: the bit-length tree, and opt_len gains the cost of sending it (max_blindex + 1 lengths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildBlTree()
    {
        ScanTree(literals);
        ScanTree(distances);
        builder.Build(bitLengths);
        int maxBlIndex;
        for (maxBlIndex = BlCodes - 1; maxBlIndex >= 3; maxBlIndex--)
            if (bitLengths.Len[BlOrder[maxBlIndex]] != 0) break;
        builder.OptLen += 3 * ((long)maxBlIndex + 1) + 5 + 5 + 4;
    }

    /// <summary>scan_tree: count the bit-length symbols (with run codes 16, 17, 18) that send_tree will send.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanTree(HuffmanTree tree)
    {
        var len = tree.Len;
        var maxCode = tree.MaxCode;
        var blFreq = bitLengths.Freq;
        var prevlen = -1;
        int nextlen = len[0];
        var count = 0;
        int maxCount = 7, minCount = 4;
        if (nextlen == 0)
        {
            maxCount = 138;
            minCount = 3;
        }
        len[maxCode + 1] = 0xffff; // guard
        for (var n = 0; n <= maxCode; n++)
        {
            var curlen = nextlen;
            nextlen = len[n + 1];
            if (curlen == 0 && nextlen == 0 && count == 0)
            {
                // A run of unused codes (it always starts with count 0, max_count 138, min_count 3): zlib's loop emits a
                // REPZ_11_138 each time the count reaches 138, then the remainder; done here in one step. The run ends
                // before max_code, whose length is not 0.
                var run = len.AsSpan(n, maxCode + 1 - n).IndexOfAnyExcept((ushort)0);
                blFreq[RepZ11To138] += run / 138;
                var rest = run % 138;
                if (rest is > 0 and < 3)
                    blFreq[0] += rest;
                else if (rest is >= 3 and <= 10)
                    blFreq[RepZ3To10]++;
                else if (rest > 10)
                    blFreq[RepZ11To138]++;
                n += run - 1;
                nextlen = len[n + 1];
                prevlen = 0;
                maxCount = 7;
                minCount = 4;
                continue;
            }
            if (++count < maxCount && curlen == nextlen)
                continue;
            if (count < minCount)
                blFreq[curlen] += count;
            else if (curlen != 0)
            {
                if (curlen != prevlen) blFreq[curlen]++;
                blFreq[Rep3To6]++;
            }
            else if (count <= 10)
                blFreq[RepZ3To10]++;
            else
                blFreq[RepZ11To138]++;
            count = 0;
            prevlen = curlen;
            if (nextlen == 0)
            {
                maxCount = 138;
                minCount = 3;
            }
            else if (curlen == nextlen)
            {
                maxCount = 6;
                minCount = 3;
            }
            else
            {
                maxCount = 7;
                minCount = 4;
            }
        }
    }
}
