using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static PLaw.Entropy.Structures.Zlib.TreeTables;

namespace PLaw.Entropy.Structures.Zlib;

/// <summary>
/// trees.c's build_tree, pqdownheap and gen_bitlen, keeping deflate_state's heap, depth, bl_count, opt_len and static_len.
/// Only code lengths and the two bit totals are produced (gen_codes is not needed for a size). Ties are broken exactly as
/// zlib does (smaller(): frequency, then depth), since a different tie-break can change the lengths and so the size.
/// </summary>
internal sealed class TreeBuilder
{
    private const int Smallest = 1;
    private readonly int[] heap = new int[HeapSize];
    private readonly byte[] depth = new byte[HeapSize];

    /// <summary>freq · 256 + depth of each node in the heap: zlib's smaller(n, m) (freq[n] &lt; freq[m], or equal and
    /// depth[n] ≤ depth[m]) is key[n] ≤ key[m], as depth &lt; 256 and frequencies &lt; 2²³.</summary>
    private readonly uint[] key = new uint[HeapSize];
    private readonly int[] blCount = new int[MaxBits + 1];
    private int heapLen, heapMax;

    /// <summary>opt_len: bits of the block with dynamic trees (plus the tree representation once build_bl_tree ran).</summary>
    public long OptLen;

    /// <summary>static_len: bits of the block with the fixed trees.</summary>
    public long StaticLen;

    /// <summary>build_tree (without gen_codes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(HuffmanTree desc)
    {
        var freq = desc.Freq;
        var len = desc.Len;
        var stree = desc.StaticLengths;
        var elems = desc.Elems;
        var maxCode = -1;
        heapLen = 0;
        heapMax = HeapSize;
        // zlib's loop over every leaf (heap in increasing n; len = 0 where freq is 0), with the non-zero frequencies found
        // eight at a time: a small input uses a few dozen of the 286 literal/length codes.
        Array.Clear(len, 0, elems);
        for (var n0 = 0; n0 < elems; n0 += 8)
        {
            var mask = (~Vector256.Equals(Vector256.LoadUnsafe(ref freq[0], (nuint)n0), Vector256<int>.Zero)).ExtractMostSignificantBits();
            if (elems - n0 < 8) mask &= (1u << (elems - n0)) - 1; // lanes past elems hold internal nodes
            for (; mask != 0; mask &= mask - 1)
            {
                var n = n0 + BitOperations.TrailingZeroCount(mask);
                heap[++heapLen] = maxCode = n;
                depth[n] = 0;
                key[n] = (uint)freq[n] << 8;
            }
        }

        // The pkzip format requires at least one distance code and one bit even for a single code: force two codes.
        while (heapLen < 2)
        {
            var node = heap[++heapLen] = maxCode < 2 ? ++maxCode : 0;
            freq[node] = 1;
            depth[node] = 0;
            key[node] = 1 << 8;
            OptLen--;
            if (stree != null) StaticLen -= stree[node];
        }

        desc.MaxCode = maxCode;
        for (var n = heapLen / 2; n >= 1; n--) PqDownHeap(n);

        var next = elems;
        do
        {
            // pqremove
            var n = heap[Smallest];
            heap[Smallest] = heap[heapLen--];
            PqDownHeap(Smallest);
            var m = heap[Smallest];
            heap[--heapMax] = n;
            heap[--heapMax] = m;
            freq[next] = freq[n] + freq[m];
            depth[next] = (byte)((depth[n] >= depth[m] ? depth[n] : depth[m]) + 1);
            key[next] = ((uint)freq[next] << 8) | depth[next];
            len[n] = len[m] = (ushort)next; // Dad
            heap[Smallest] = next++;
            PqDownHeap(Smallest);
        } while (heapLen >= 2);

        heap[--heapMax] = heap[Smallest];
        GenBitlen(desc);
    }

    /// <summary>pqdownheap, with smaller() as a comparison of keys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PqDownHeap(int k)
    {
        var heap = this.heap;
        var key = this.key;
        var v = heap[k];
        var kv = key[v];
        var j = k << 1;
        while (j <= heapLen)
        {
            var c = heap[j];
            if (j < heapLen && key[heap[j + 1]] <= key[c]) c = heap[++j];
            if (kv <= key[c]) break;
            heap[k] = c;
            k = j;
            j <<= 1;
        }
        heap[k] = v;
    }

    /// <summary>gen_bitlen: lengths from the tree, capped at max_length with zlib's overflow fix-up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GenBitlen(HuffmanTree desc)
    {
        var freq = desc.Freq;
        var len = desc.Len;
        var maxCode = desc.MaxCode;
        var stree = desc.StaticLengths;
        var extra = desc.ExtraBits;
        var extraBase = desc.ExtraBase;
        var maxLength = desc.MaxLength;
        var overflow = 0;
        Array.Clear(blCount);
        len[heap[heapMax]] = 0; // root

        int h;
        for (h = heapMax + 1; h < HeapSize; h++)
        {
            var n = heap[h];
            var bits = len[len[n]] + 1; // parent's Len (its Dad already replaced)
            if (bits > maxLength)
            {
                bits = maxLength;
                overflow++;
            }
            len[n] = (ushort)bits;
            if (n > maxCode) continue; // not a leaf
            blCount[bits]++;
            var xbits = n >= extraBase ? extra[n - extraBase] : 0;
            long f = freq[n];
            OptLen += f * (bits + xbits);
            if (stree != null) StaticLen += f * (stree[n] + xbits);
        }
        if (overflow == 0) return;

        do
        {
            var bits = maxLength - 1;
            while (blCount[bits] == 0) bits--;
            blCount[bits]--;
            blCount[bits + 1] += 2;
            blCount[maxLength]--;
            overflow -= 2;
        } while (overflow > 0);

        for (var bits = maxLength; bits != 0; bits--)
        {
            var n = blCount[bits];
            while (n != 0)
            {
                var m = heap[--h];
                if (m > maxCode) continue;
                if (len[m] != bits)
                {
                    OptLen += ((long)bits - len[m]) * freq[m];
                    len[m] = (ushort)bits;
                }
                n--;
            }
        }
    }
}
