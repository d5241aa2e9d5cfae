using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static PLaw.Entropy.Structures.Zlib.DeflateParameters;

namespace PLaw.Entropy.Structures.Zlib;

/// <summary>
/// zlib's hash chains laid out flat, for an input that never slides the window (n &lt; WSIZE + MAX_DIST, so fill_window
/// reads it whole in its first call and strstart never reaches the slide). Then deflate_slow inserts every position
/// p ≤ n − 3 exactly once, in increasing order, with ins_h = the hash of bytes p..p+2, before any search from a later
/// position; so the chain longest_match walks from a position is simply every earlier position with the same hash, newest
/// first, ending at NIL (0). Here each hash's positions are stored contiguously in increasing order after a 0 slot, so
/// zlib's <c>cur_match = prev[cur_match &amp; wmask]</c> becomes a step back in this array: no dependent loads. (zlib's
/// prev[] slots alias positions 32K apart, but a slot is only overwritten by a position more than strstart + 262, not yet
/// inserted, so the walk is the same.)
/// </summary>
internal sealed unsafe class SortedHashChains
{
    private const int Capacity = WSize + MaxDist;
    private readonly int[] start = GC.AllocateArray<int>(HashSize, pinned: true);
    private readonly ushort[] hashes = GC.AllocateArray<ushort>(Capacity, pinned: true);
    private readonly int[] rank = GC.AllocateArray<int>(Capacity, pinned: true);
    private readonly int[] sorted = GC.AllocateArray<int>(2 * Capacity, pinned: true);
    private readonly int[] begin = GC.AllocateArray<int>(HashSize, pinned: true);
    private readonly int[] sameFour = GC.AllocateArray<int>(Capacity, pinned: true);
    private readonly int[] lastFour = GC.AllocateArray<int>(1 << FourHashBits, pinned: true);
    private readonly int* startp, rankp, sortedp, beginp, sameFourp, lastFourp;
    private readonly ushort* hashesp;

    public SortedHashChains()
    {
        startp = Pointer(start);
        rankp = Pointer(rank);
        sortedp = Pointer(sorted);
        beginp = Pointer(begin);
        sameFourp = Pointer(sameFour);
        lastFourp = Pointer(lastFour);
        hashesp = (ushort*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(hashes));

        static int* Pointer(int[] array) => (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
    }

    /// <summary>Whether an input of this size never slides the window.</summary>
    public static bool Fits(int length) => length < Capacity;

    /// <summary>Counting sort of the positions 0..n−3 of <paramref name="w"/> by hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(byte* w, int n)
    {
        var positions = n - (MinMatch - 1);
        new Span<int>(startp, HashSize).Clear();
        for (var p = 0; p < positions; p++)
        {
            var h = (ushort)(((w[p] << (2 * HashShift)) ^ (w[p + 1] << HashShift) ^ w[p + 2]) & HashMask);
            hashesp[p] = h;
            startp[h]++;
        }
        var offset = 0;
        for (var h = 0; h < HashSize; h++)
        {
            var count = startp[h];
            if (count == 0) continue;
            sortedp[offset] = 0; // NIL ends every chain
            startp[h] = beginp[h] = offset + 1;
            offset += count + 1;
        }
        for (var p = 0; p < positions; p++)
        {
            var r = startp[hashesp[p]]++;
            sortedp[r] = p;
            rankp[p] = r;
        }

        Unsafe.InitBlockUnaligned(lastFourp, 0xff, sizeof(int) << FourHashBits); // every entry −1 (Span.Fill<int> is compiled at run time)
        for (var p = 0; p + 3 < n; p++)
        {
            var f = FourHash(w + p);
            sameFourp[p] = lastFourp[f];
            lastFourp[f] = p;
        }
    }

    private const int FourHashBits = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FourHash(byte* p) => (int)((Unsafe.ReadUnaligned<uint>(p) * 2654435761u) >> (32 - FourHashBits));

    /// <summary>The previous position (or −1) whose first 4 bytes hash like those of <paramref name="position"/> (≤ n − 4):
    /// a superset of the earlier positions with the same 4 bytes, newest first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SameFour(int position) => sameFourp[position];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int HashOf(int position) => hashesp[position];

    /// <summary>The oldest position longest_match visits from <paramref name="hashHead"/> with at most
    /// <paramref name="chainLength"/> entries: the chainLength-th entry of the chain, or the chain's oldest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int OldestWithin(int hashHead, int chainLength)
    {
        var r = rankp[hashHead] - chainLength + 1;
        var b = beginp[hashesp[hashHead]];
        return sortedp[r > b ? r : b];
    }

    /// <summary>INSERT_STRING's match_head: the previous position with the same hash, or NIL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Head(int str) => sortedp[rankp[str] - 1];

    /// <summary>Where <paramref name="position"/> sits in its chain; the slots below it are prev, prev of prev, …</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* Slot(int position) => sortedp + rankp[position];
}
