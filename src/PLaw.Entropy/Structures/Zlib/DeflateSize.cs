using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static PLaw.Entropy.Structures.Zlib.DeflateParameters;

namespace PLaw.Entropy.Structures.Zlib;

/// <summary>
/// The exact length of what zlib 1.2.13 writes for deflateReset + one deflate(Z_FINISH) at level 6, windowBits 15,
/// memLevel 8: a port of deflate.c's deflate_slow, fill_window and longest_match that counts bits instead of emitting them.
/// <para>
/// Like a reused zlib stream, the window keeps earlier calls' bytes and high_water is never reset (deflateReset does not
/// reset it): longest_match reads up to MAX_MATCH bytes past the input. Those bytes never change a length, though: nice_match
/// is capped at lookahead, so the first candidate that reaches the input's end ends the search, and every candidate before
/// it stopped at a difference inside the input; a prev_length reaching past the end only arises when the previous match is
/// emitted anyway. So the length does not depend on earlier calls (ZlibPortRandomInputTests also pass with the bytes past
/// the input zeroed, as a fresh stream has them).
/// </para>
/// </summary>
internal sealed unsafe partial class DeflateSize
{
    /// <summary>Inputs up to this size clear their hash heads by rehashing themselves instead of clearing all 32K.</summary>
    private const int RehashClearLimit = 4096;

    // Pinned for the instance's life, so the hot loops use raw pointers without bounds checks or fixed blocks.
    private readonly byte[] window = GC.AllocateArray<byte>(WindowSize, pinned: true);
    private readonly ushort[] head = GC.AllocateArray<ushort>(HashSize, pinned: true);
    private readonly ushort[] prev = GC.AllocateArray<ushort>(WSize, pinned: true);
    private readonly byte* w;
    private readonly ushort* headp, prevp;
    private readonly BlockCost blocks = new();
    private SortedHashChains? sortedChains; // ~1.5 MB, made for the first input that uses it

    /// <summary>Inputs from this size up (that never slide the window) walk <see cref="SortedHashChains"/>.</summary>
    private const int SortedChainsFrom = 4096;

    private bool useSortedChains;
    private int highWater;
    private int lastInputLength;

    public DeflateSize()
    {
        w = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(window));
        headp = (ushort*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(head));
        prevp = (ushort*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(prev));
    }

    private int strstart, blockStart, lookahead, matchLength, prevLength, matchStart, prevMatch, insH;
    private bool matchAvailable;
    private byte* nextIn;
    private int availIn;

    /// <summary>Bytes deflate writes for <paramref name="data"/>: header, blocks, Adler-32.</summary>
    public int CompressedLength(ReadOnlySpan<byte> data)
    {
        Reset();
        useSortedChains = data.Length >= SortedChainsFrom && SortedHashChains.Fits(data.Length);
        fixed (byte* input = data)
        {
            nextIn = input;
            availIn = data.Length;
            if (useSortedChains) (sortedChains ??= new SortedHashChains()).Build(input, data.Length);
            DeflateSlow();
            nextIn = null;
        }
        lastInputLength = useSortedChains ? 0 : data.Length; // sorted chains leave head[] untouched
        return HeaderBytes + (int)(blocks.Bits >> 3) + TrailerBytes;
    }

    /// <summary>deflateReset → lm_init and _tr_init, but CLEAR_HASH only undoes what the last call wrote.</summary>
    private void Reset()
    {
        ClearHeads();
        strstart = 0;
        blockStart = 0;
        lookahead = 0;
        matchLength = prevLength = MinMatch - 1;
        matchAvailable = false;
        insH = 0;
        // match_start is not reset by lm_init; it is only read after longest_match set it in this call (or, for a
        // MIN_MATCH prev_match, when the match is discarded anyway), so its stale value never matters.
        blocks.Reset();
    }

    /// <summary>
    /// A short input never slid the window, so it still lies at window[0..n) and every head it set is head[hash of one of
    /// its 3-byte strings] (INSERT_STRING only runs on consecutive positions with 3 valid bytes): rehashing them clears them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ClearHeads()
    {
        var n = lastInputLength;
        if (n > RehashClearLimit)
        {
            Array.Clear(head);
            return;
        }
        for (var i = 0; i + 2 < n; i++)
            headp[((w[i] << (2 * HashShift)) ^ (w[i + 1] << HashShift) ^ w[i + 2]) & HashMask] = 0;
    }

    /// <summary>INSERT_STRING: returns the previous head of the string's hash chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int InsertString(int str)
    {
        insH = ((insH << HashShift) ^ w[str + (MinMatch - 1)]) & HashMask;
        int h = headp[insH];
        prevp[str & WMask] = (ushort)h;
        headp[insH] = (ushort)str;
        return h;
    }

    /// <summary>FLUSH_BLOCK_ONLY: buf is NULL once block_start slid below the window.</summary>
    private void FlushBlock(bool last)
    {
        blocks.FlushBlock(blockStart >= 0, strstart - blockStart, last);
        blockStart = strstart;
    }

    /// <summary>deflate_slow with flush = Z_FINISH and all input available.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DeflateSlow()
    {
        for (;;)
        {
            if (lookahead < MinLookahead)
            {
                FillWindow();
                if (lookahead == 0) break;
            }

            var hashHead = 0;
            if (lookahead >= MinMatch) hashHead = useSortedChains ? sortedChains!.Head(strstart) : InsertString(strstart);

            prevLength = matchLength;
            prevMatch = matchStart;
            matchLength = MinMatch - 1;

            if (hashHead != 0 && prevLength < MaxLazyMatch && strstart - hashHead <= MaxDist)
            {
                matchLength = useSortedChains
                    ? LongestMatchByFourBytes(hashHead)
                    : LongestMatch(hashHead, new PrevLinks(prevp));
                if (matchLength <= 5 && matchLength == MinMatch && strstart - matchStart > TooFar)
                    matchLength = MinMatch - 1;
            }

            if (prevLength >= MinMatch && matchLength <= prevLength)
            {
                var maxInsert = strstart + lookahead - MinMatch;
                var flush = blocks.TallyDistance(strstart - 1 - prevMatch, prevLength - MinMatch);
                lookahead -= prevLength - 1;
                prevLength -= 2;
                if (useSortedChains)
                {
                    strstart += prevLength; // the inserts are already in the sorted chains
                    prevLength = 0;
                }
                else
                {
                    do
                    {
                        if (++strstart <= maxInsert) InsertString(strstart);
                    } while (--prevLength != 0);
                }
                matchAvailable = false;
                matchLength = MinMatch - 1;
                strstart++;
                if (flush) FlushBlock(false);
            }
            else if (matchAvailable)
            {
                if (blocks.TallyLiteral(w[strstart - 1])) FlushBlock(false);
                strstart++;
                lookahead--;
            }
            else
            {
                matchAvailable = true;
                strstart++;
                lookahead--;
            }
        }

        if (matchAvailable)
        {
            blocks.TallyLiteral(w[strstart - 1]);
            matchAvailable = false;
        }
        FlushBlock(true);
    }

    /// <summary>
    /// fill_window. s->insert is always 0 here (lm_init clears it; only the end of deflate_slow and deflateSetDictionary set
    /// it), so its re-insertion loop is left out; the ins_h initialisation it guards is kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillWindow()
    {
        do
        {
            var more = WindowSize - lookahead - strstart;
            if (strstart >= WSize + MaxDist)
            {
                Array.Copy(window, WSize, window, 0, WSize - more);
                matchStart -= WSize;
                strstart -= WSize;
                blockStart -= WSize;
                SlideHash();
                more += WSize;
            }
            if (availIn == 0) break;

            // read_buf
            var n = Math.Min(availIn, more);
            new ReadOnlySpan<byte>(nextIn, n).CopyTo(window.AsSpan(strstart + lookahead, n));
            nextIn += n;
            availIn -= n;
            lookahead += n;

            if (lookahead >= MinMatch)
            {
                insH = w[strstart];
                insH = ((insH << HashShift) ^ w[strstart + 1]) & HashMask;
            }
        } while (lookahead < MinLookahead && availIn != 0);

        if (highWater < WindowSize)
        {
            var curr = strstart + lookahead;
            if (highWater < curr)
            {
                var init = Math.Min(WindowSize - curr, WinInit);
                Array.Clear(window, curr, init);
                highWater = curr + init;
            }
            else if (highWater < curr + WinInit)
            {
                var init = Math.Min(curr + WinInit - highWater, WindowSize - highWater);
                Array.Clear(window, highWater, init);
                highWater += init;
            }
        }
    }

    /// <summary>slide_hash.</summary>
    private void SlideHash()
    {
        Slide(head);
        Slide(prev);

        static void Slide(ushort[] table)
        {
            for (var i = 0; i < table.Length; i++)
            {
                int m = table[i];
                table[i] = (ushort)(m >= WSize ? m - WSize : 0);
            }
        }
    }
}
