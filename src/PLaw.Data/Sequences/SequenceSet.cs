namespace PLaw.Data.Sequences;

/// <summary>
/// Every user's chronological item sequence in compressed-row form: user <c>u</c>'s items are
/// <c>Items[Offsets[u]..Offsets[u + 1]]</c>, oldest first. Item ids are dense, 1..<see cref="ItemCount"/>;
/// 0 is reserved for padding and never appears. <see cref="Timestamps"/>, when present, runs parallel to
/// <see cref="Items"/> (unix seconds). <see cref="Domains"/>, when present, gives each item's domain (multi-domain data).
/// <see cref="Labels"/>, when present, runs parallel to <see cref="Items"/> too: each interaction's label as a labelled
/// impression (true = positive, e.g. a rating at or above the import's threshold), the ranking task's targets.
/// </summary>
public sealed class SequenceSet
{
    public SequenceSet(int[] offsets, int[] items, int itemCount, long[]? timestamps = null, ItemDomains? domains = null,
        bool[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(items);
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != items.Length)
            throw new ArgumentException("Offsets must start at 0 and end at the number of items.", nameof(offsets));
        for (var u = 1; u < offsets.Length; u++)
            if (offsets[u] < offsets[u - 1])
                throw new ArgumentException($"Offsets must not decrease (user {u - 1}).", nameof(offsets));
        if (timestamps is not null && timestamps.Length != items.Length)
            throw new ArgumentException("Timestamps must run parallel to items.", nameof(timestamps));
        if (labels is not null && labels.Length != items.Length)
            throw new ArgumentException($"Labels must run parallel to items ({labels.Length:N0} labels, {items.Length:N0} items).", nameof(labels));
        foreach (var item in items)
            if ((uint)(item - 1) >= (uint)itemCount)
                throw new ArgumentException($"Item id {item} is outside 1..{itemCount}.", nameof(items));
        if (domains is not null && domains.ItemCount != itemCount)
            throw new ArgumentException($"Item domains cover {domains.ItemCount} items; the sequences have {itemCount}.", nameof(domains));
        Offsets = offsets;
        Items = items;
        ItemCount = itemCount;
        Timestamps = timestamps;
        Domains = domains;
        Labels = labels;
    }

    public int[] Offsets { get; }
    public int[] Items { get; }
    public long[]? Timestamps { get; }

    /// <summary>Each item's domain; null when the data has none (a single-domain dataset).</summary>
    public ItemDomains? Domains { get; }

    /// <summary>Each interaction's label (true = positive impression); null when the data has none.</summary>
    public bool[]? Labels { get; }

    /// <summary>The same sequences with <paramref name="domains"/> attached (arrays shared, not copied).</summary>
    public SequenceSet WithDomains(ItemDomains? domains) => new(Offsets, Items, ItemCount, Timestamps, domains, Labels);

    /// <summary>The same sequences with <paramref name="labels"/> (parallel to <see cref="Items"/>) attached (arrays shared).</summary>
    public SequenceSet WithLabels(bool[]? labels) => new(Offsets, Items, ItemCount, Timestamps, Domains, labels);

    /// <summary>A user's labels, parallel to <see cref="Sequence"/>; empty when the data has none.</summary>
    public ReadOnlySpan<bool> LabelsOf(int user) =>
        Labels is null ? ReadOnlySpan<bool>.Empty : Labels.AsSpan(Offsets[user], Offsets[user + 1] - Offsets[user]);

    /// <summary>Number of distinct item ids; ids run 1..ItemCount.</summary>
    public int ItemCount { get; }
    public int UserCount => Offsets.Length - 1;
    public long InteractionCount => Items.Length;

    public ReadOnlySpan<int> Sequence(int user) => Items.AsSpan(Offsets[user], Offsets[user + 1] - Offsets[user]);

    public ReadOnlySpan<long> Times(int user) =>
        Timestamps is null ? ReadOnlySpan<long>.Empty : Timestamps.AsSpan(Offsets[user], Offsets[user + 1] - Offsets[user]);

    public int Length(int user) => Offsets[user + 1] - Offsets[user];

    /// <summary>The last <paramref name="maxLength"/> items of a user's sequence (P-Law and SASRec keep the newest).</summary>
    public ReadOnlySpan<int> Window(int user, int maxLength)
    {
        var sequence = Sequence(user);
        return sequence.Length <= maxLength ? sequence : sequence[^maxLength..];
    }
}
