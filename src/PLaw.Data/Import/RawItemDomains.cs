using PLaw.Data.Sequences;

namespace PLaw.Data.Import;

/// <summary>
/// Each raw item's domain as the reader meets it, from a domain column (every line of an item must agree) or from an
/// <see cref="ItemDomainFile"/> (looked up once per item). <see cref="Build"/> maps them onto the preprocessed item ids.
/// </summary>
internal sealed class RawItemDomains
{
    private readonly string _source;
    private readonly ItemDomainFile? _file;
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int[] _domainOf = new int[1 << 10]; // domain index + 1; 0 = not seen yet
    private long[] _firstLine = new long[1 << 10];

    public RawItemDomains(string source, ItemDomainFile? file)
    {
        (_source, _file) = (source, file);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        if (file is not null) _names.AddRange(file.Names);
    }

    /// <summary>The domain named on <paramref name="lineNumber"/>'s domain field for raw item <paramref name="item"/>.</summary>
    public void FromColumn(int item, ReadOnlySpan<char> itemText, ReadOnlySpan<char> domain, int field, long lineNumber, ReadOnlySpan<char> line)
    {
        domain = domain.Trim();
        if (domain.IsEmpty) throw new DataFormatException(_source, lineNumber, $"the item's domain in field {field + 1}", line);
        if (!_lookup.TryGetValue(domain, out var d))
        {
            if (domain.Length > ItemDomains.MaxNameLength)
                throw new DataFormatException(_source, lineNumber, $"a domain name of at most {ItemDomains.MaxNameLength} characters in field {field + 1}", domain);
            var name = domain.ToString();
            _index[name] = d = _names.Count;
            _names.Add(name);
        }
        Grow(item);
        ref var slot = ref _domainOf[item];
        if (slot == 0)
        {
            slot = d + 1;
            _firstLine[item] = lineNumber;
        }
        else if (slot != d + 1)
            throw new DataFormatException(_source, lineNumber,
                $"item '{EchoedText.Of(itemText)}' in domain '{EchoedText.Of(_names[slot - 1])}' as on line {_firstLine[item]} (an item has one domain)", domain);
    }

    /// <summary>Looks raw item <paramref name="item"/> up in the item→domain file the first time it appears.</summary>
    public void FromFile(int item, ReadOnlySpan<char> itemText, bool numeric, long lineNumber)
    {
        Grow(item);
        if (_domainOf[item] != 0) return;
        if (!_file!.TryGet(itemText, numeric, out var d))
            throw new DataFormatException(_source, lineNumber,
                $"an item listed in the item→domain file {EchoedText.Escape(_file.Source)} (every item needs a domain)", itemText);
        _domainOf[item] = d + 1;
    }

    private void Grow(int item)
    {
        if (item < _domainOf.Length) return;
        var size = Math.Max(item + 1, 2 * _domainOf.Length);
        Array.Resize(ref _domainOf, size);
        Array.Resize(ref _firstLine, size);
    }

    /// <summary>
    /// The domains of the kept items: <paramref name="rawItemOf"/>[id] is the raw index of item id 1..I. Domains left
    /// without items (after k-core) are dropped; the others keep their order.
    /// </summary>
    public ItemDomains Build(ReadOnlySpan<int> rawItemOf)
    {
        var remap = new int[_names.Count];
        Array.Fill(remap, -1);
        var domainOf = new int[rawItemOf.Length];
        for (var id = 1; id < rawItemOf.Length; id++)
            domainOf[id] = _domainOf[rawItemOf[id]] - 1;
        var used = new bool[_names.Count];
        for (var id = 1; id < domainOf.Length; id++) used[domainOf[id]] = true;
        var names = new List<string>();
        for (var d = 0; d < used.Length; d++)
            if (used[d])
            {
                remap[d] = names.Count;
                names.Add(_names[d]);
            }
        for (var id = 1; id < domainOf.Length; id++) domainOf[id] = remap[domainOf[id]];
        if (names.Count == 0) names.Add(_names.Count > 0 ? _names[0] : "all");
        return new ItemDomains(names.ToArray(), domainOf);
    }
}
