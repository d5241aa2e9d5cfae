using System.Runtime.CompilerServices;

namespace PLaw.Data.Import;

/// <summary>
/// Maps raw ids to dense indices 0, 1, … in order of first appearance. Numeric ids are parsed to long; token ids are
/// looked up by span through the dictionary's alternate lookup, so only a new id allocates its string.
/// </summary>
internal sealed class IdInterner
{
    /// <summary>Ids 0 ≤ id &lt; this (at most 16 MB of array) are looked up by index (index + 1, 0 for unseen): no hashing for
    /// the usual dense ids; larger or negative ids go to the dictionary.</summary>
    private const long DenseLimit = 1 << 22;

    private readonly Dictionary<long, int> numbers = [];
    private int[] dense = new int[1 << 12];
    private int denseCount;
    private readonly Dictionary<string, int> tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> tokenLookup;

    public IdInterner() => tokenLookup = tokens.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => denseCount + numbers.Count + tokens.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Intern(long id)
    {
        if ((ulong)id < DenseLimit)
        {
            if (id >= dense.Length) Array.Resize(ref dense, (int)Math.Min(DenseLimit, Math.Max(id + 1, 2L * dense.Length)));
            ref var slot = ref dense[id];
            if (slot == 0)
            {
                slot = Count + 1;
                denseCount++;
            }
            return slot - 1;
        }
        if (numbers.TryGetValue(id, out var index))
            return index;
        index = Count;
        numbers.Add(id, index);
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Intern(ReadOnlySpan<char> token)
    {
        if (tokenLookup.TryGetValue(token, out var index))
            return index;
        index = Count;
        tokenLookup.TryAdd(token, index);
        return index;
    }
}
