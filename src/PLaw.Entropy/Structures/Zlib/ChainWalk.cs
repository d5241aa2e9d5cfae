using System.Runtime.CompilerServices;
using static PLaw.Entropy.Structures.Zlib.DeflateParameters;

namespace PLaw.Entropy.Structures.Zlib;

/// <summary>One step along a hash chain, <c>cur_match = prev[cur_match &amp; wmask]</c>; a struct so longest_match is
/// compiled once per layout.</summary>
internal interface IChainWalk
{
    int Next(int curMatch);
}

/// <summary>zlib's own layout: the prev[] links.</summary>
internal readonly unsafe struct PrevLinks(ushort* prev) : IChainWalk
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int curMatch) => prev[curMatch & WMask];
}

/// <summary>The flat layout of <see cref="SortedHashChains"/>: the next link is the slot below.</summary>
internal unsafe struct SortedLinks(int* slot) : IChainWalk
{
    private int* slot = slot;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int curMatch) => *--slot;
}
