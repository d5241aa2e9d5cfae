using System.Runtime.CompilerServices;

namespace PLaw.Data.Import;

/// <summary>
/// Maps raw ids to dense indices 0, 1, … in order of first appearance. Numeric ids are parsed to long; token ids are
/// looked up by span through the dictionary's alternate lookup, so only a new id allocates its string.
/// </summary>
internal sealed class IdInterner
{
    private readonly Dictionary<long, int> numbers = [];
    private readonly Dictionary<string, int> tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> tokenLookup;

    public IdInterner() => tokenLookup = tokens.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => numbers.Count + tokens.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Intern(long id)
    {
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
