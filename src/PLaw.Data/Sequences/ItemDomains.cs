namespace PLaw.Data.Sequences;

/// <summary>
/// The domain of every item of a <see cref="SequenceSet"/> (LSRM §V multi-domain): <see cref="Of"/>(item) is a 0-based
/// index into <see cref="Names"/>. Built from an import's domain column, an item→domain file
/// (<see cref="Import.ItemDomainFile"/>) or the multi-domain synthetic generator; stored with the sequences.
/// </summary>
public sealed class ItemDomains
{
    /// <summary>The longest domain name kept (UTF-16 characters).</summary>
    public const int MaxNameLength = 200;

    private readonly string[] _names;
    private readonly int[] _domainOf;

    /// <param name="names">Distinct, non-blank domain names; their order gives the indices.</param>
    /// <param name="domainOf">Index = item id (0..I), value = domain index; entry 0 (padding) is ignored and stored as 0.</param>
    public ItemDomains(string[] names, int[] domainOf)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(domainOf);
        if (names.Length == 0) throw new ArgumentException("Item domains need at least one domain name.", nameof(names));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A domain name is empty.", nameof(names));
            if (name.Length > MaxNameLength) throw new ArgumentException($"A domain name is longer than {MaxNameLength} characters.", nameof(names));
            if (!seen.Add(name)) throw new ArgumentException($"The domain name '{name}' appears twice.", nameof(names));
        }
        if (domainOf.Length == 0) throw new ArgumentException("The item→domain array needs an entry for the padding item 0.", nameof(domainOf));
        for (var item = 1; item < domainOf.Length; item++)
            if ((uint)domainOf[item] >= (uint)names.Length)
                throw new ArgumentException($"Item {item} has domain index {domainOf[item]}, outside 0..{names.Length - 1}.", nameof(domainOf));
        _names = names;
        _domainOf = domainOf;
        _domainOf[0] = 0;
    }

    public IReadOnlyList<string> Names => _names;
    public int Count => _names.Length;

    /// <summary>Items covered: ids 1..ItemCount.</summary>
    public int ItemCount => _domainOf.Length - 1;

    /// <summary>The 0-based domain index of <paramref name="item"/> (1..ItemCount).</summary>
    public int Of(int item) => _domainOf[item];

    /// <summary>The domain index per item id, entry 0 unused.</summary>
    public ReadOnlySpan<int> DomainOf => _domainOf;

    /// <summary>How many items each domain holds.</summary>
    public int[] ItemsPerDomain()
    {
        var counts = new int[Count];
        for (var item = 1; item < _domainOf.Length; item++) counts[_domainOf[item]]++;
        return counts;
    }
}
