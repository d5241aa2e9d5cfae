using System.Globalization;

namespace PLaw.Data.Import;

/// <summary>
/// An item→domain file: one item a line, its id (as the interaction file writes it) and its domain, separated by a tab
/// (or, on a line without a tab, a comma). An optional first line <c>item&lt;TAB&gt;domain</c> is a header; blank lines are
/// skipped. An item listed twice must name the same domain both times. Bad lines throw <see cref="DataFormatException"/>
/// with the file and the 1-based line.
/// </summary>
public sealed class ItemDomainFile
{
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private Dictionary<long, int>? _byNumber;
    private readonly List<string> _names = [];

    private ItemDomainFile(string source)
    {
        Source = source;
        _lookup = _byText.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The file as named in messages.</summary>
    public string Source { get; }

    /// <summary>Domain names in order of first appearance in the file.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Items listed.</summary>
    public int Count => _byText.Count;

    public static ItemDomainFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No item→domain file at '{path}'.", path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static ItemDomainFile Read(TextReader reader, string source)
    {
        var file = new ItemDomainFile(source);
        var firstLines = new Dictionary<string, (long Line, int Domain)>(StringComparer.Ordinal);
        var domainIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        long number = 0;
        var sawData = false;
        while (reader.ReadLine() is { } text)
        {
            number++;
            var line = text.AsSpan();
            if (line.IsWhiteSpace()) continue;
            var separator = line.Contains('\t') ? '\t' : ',';
            var at = line.IndexOf(separator);
            if (at < 0)
                throw new DataFormatException(source, number, "an item id and its domain separated by a tab (or a comma)", line);
            var item = line[..at].Trim();
            var domain = line[(at + 1)..].Trim();
            if (domain.Contains(separator))
                throw new DataFormatException(source, number, "exactly two fields, an item id and its domain", line);
            if (!sawData && IsHeader(item, domain))
            {
                sawData = true;
                continue;
            }
            sawData = true;
            if (item.IsEmpty) throw new DataFormatException(source, number, "an item id before the separator", line);
            if (domain.IsEmpty) throw new DataFormatException(source, number, "a domain name after the item id", line);
            if (domain.Length > Sequences.ItemDomains.MaxNameLength)
                throw new DataFormatException(source, number, $"a domain name of at most {Sequences.ItemDomains.MaxNameLength} characters", domain);
            var domainText = domain.ToString();
            if (!domainIndex.TryGetValue(domainText, out var d))
            {
                domainIndex[domainText] = d = file._names.Count;
                file._names.Add(domainText);
            }
            var itemText = item.ToString();
            if (firstLines.TryGetValue(itemText, out var first))
            {
                if (first.Domain != d)
                    throw new DataFormatException(source, number,
                        $"item '{EchoedText.Of(itemText)}' in domain '{EchoedText.Of(file._names[first.Domain])}' as on line {first.Line} (an item has one domain)",
                        line);
                continue;
            }
            firstLines[itemText] = (number, d);
            file._byText[itemText] = d;
        }
        if (file._byText.Count == 0)
            throw new DataFormatException(source, Math.Max(1, number), "at least one line 'item<TAB>domain' (the file is empty or has only a header)", "");
        return file;
    }

    private static bool IsHeader(ReadOnlySpan<char> item, ReadOnlySpan<char> domain) =>
        domain.Equals("domain", StringComparison.OrdinalIgnoreCase) &&
        (item.Equals("item", StringComparison.OrdinalIgnoreCase) || item.Equals("item_id", StringComparison.OrdinalIgnoreCase) ||
         item.Equals("itemid", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The domain index of an item as the interaction file writes it. With <paramref name="numeric"/> ids (MovieLens, SASRec)
    /// the number is compared, so "007" in one file finds "7" in the other.
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> item, bool numeric, out int domain)
    {
        if (_lookup.TryGetValue(item, out domain)) return true;
        if (!numeric || !long.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)) return false;
        if (_byNumber is null)
        {
            _byNumber = [];
            foreach (var (text, d) in _byText)
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key))
                    _byNumber.TryAdd(key, d);
        }
        return _byNumber.TryGetValue(id, out domain);
    }
}
