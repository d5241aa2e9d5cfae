using System.Globalization;
using System.Runtime.CompilerServices;
using PLaw.Data.Preprocessing;

namespace PLaw.Data.Import;

/// <summary>
/// Reads every line of one source into an <see cref="InteractionTable"/>: decides the <see cref="LineLayout"/> from
/// the first non-blank line, then parses fields from spans (numbers parsed in place, tokens interned by span) and
/// applies the rating threshold. Throws <see cref="DataFormatException"/> at the first bad line.
/// </summary>
internal sealed class InteractionReader(string source, ImportOptions options)
{
    private const int ProgressInterval = 1 << 16;

    private readonly IdInterner users = new();
    private readonly IdInterner items = new();
    private readonly double? minRating = options.Preprocess?.MinRating;
    private readonly double? labelThreshold = options.LabelThreshold;
    private LineLayout layout = null!;
    private InteractionTable table = null!;
    private RawItemDomains? domains;
    private ItemDomainFile? domainFile;

    /// <summary>Each raw item's domain when the import has a domain column or an item→domain file; null otherwise.</summary>
    public RawItemDomains? Domains => domains;

    /// <summary>Reads with an item→domain file (read before the interactions, so its errors come first).</summary>
    public InteractionReader(string source, ImportOptions options, ItemDomainFile? itemDomains) : this(source, options) =>
        domainFile = itemDomains;

    public long Lines { get; private set; }
    public long BelowRatingThreshold { get; private set; }
    public int RawUsers => users.Count;
    public int RawItems => items.Count;

    // The hot path is marked AggressiveOptimization throughout (here, LineReader, Separator, IdInterner,
    // InteractionTable, Preprocessor): a CLI import runs it once per process, mostly before tiered JIT would
    // promote it; measured 1.28 s -> ~0.9 s for a first 2M-line u.data import.
    public InteractionTable Read(LineReader lines, Func<long> bytesRead, long totalBytes,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        try
        {
            return ReadLines(lines, bytesRead, totalBytes, progress, ct);
        }
        catch (LineTooLongException e)
        {
            throw new DataFormatException(source, e.Line, $"lines of at most {e.Limit:N0} characters (is this a text interaction log?)", e.Start);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private InteractionTable ReadLines(LineReader lines, Func<long> bytesRead, long totalBytes,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        ReadOnlySpan<char> line;
        do
        {
            if (!lines.TryReadLine(out line))
                throw new DataFormatException(source, Math.Max(1, lines.LineNumber), "at least one interaction (the file is empty or blank)", "");
        } while (line.IsWhiteSpace());

        layout = Layout(line, lines.LineNumber);
        if (minRating is not null && !layout.HasRatings)
            throw new ArgumentException(
                $"{source}: a minimum rating needs a rating column, and this {InteractionFormats.Name(options.Format)} file has none.",
                nameof(options));
        if (labelThreshold is { } threshold && (!double.IsFinite(threshold) || !layout.HasRatings))
            throw new ArgumentException(!double.IsFinite(threshold)
                ? $"{source}: the label threshold must be a finite rating, not {threshold}."
                : $"{source}: labels (rating ≥ {threshold} → positive) need a rating column, and this {InteractionFormats.Name(options.Format)} file has none.",
                nameof(options));
        table = new InteractionTable(layout.HasTimestamps, labelThreshold is not null);
        if (layout.HasDomains && domainFile is not null)
            throw new ArgumentException($"{source}: give the items' domains either as a domain column or as an item→domain file, not both.", nameof(options));
        if (layout.HasDomains || domainFile is not null)
            domains = new RawItemDomains(source, domainFile);

        Span<Range> fields = new Range[layout.UsedFieldCount];
        if (!layout.FirstLineIsHeader)
            ParseLine(line, lines.LineNumber, fields);
        while (lines.TryReadLine(out line))
        {
            if (lines.LineNumber % ProgressInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new ImportProgress(bytesRead(), totalBytes, lines.LineNumber));
            }
            if (line.IsWhiteSpace()) continue;
            ParseLine(line, lines.LineNumber, fields);
        }
        ct.ThrowIfCancellationRequested();
        progress?.Report(new ImportProgress(bytesRead(), totalBytes, lines.LineNumber));

        if (Lines == 0)
            throw new DataFormatException(source, lines.LineNumber + 1, "at least one interaction after the header", "");
        return table;
    }

    private LineLayout Layout(ReadOnlySpan<char> first, long line) => options.Format switch
    {
        InteractionFormat.MovieLens => LineLayout.MovieLens(first, source, line),
        InteractionFormat.Sasrec => LineLayout.Sasrec(),
        InteractionFormat.Csv => LineLayout.Csv(
            options.Columns ?? throw new ArgumentException("CSV import needs a column mapping (ImportOptions.Columns).", nameof(options)),
            first, source, line),
        InteractionFormat.RecBole => LineLayout.RecBole(first, source, line),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown interaction format."),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ParseLine(ReadOnlySpan<char> line, long lineNumber, Span<Range> fields)
    {
        Lines++;
        var found = layout.Separator.Split(line, fields);
        if (found < layout.FieldCount || (layout.ExactFieldCount && found != layout.FieldCount))
            throw new DataFormatException(source, lineNumber, layout.DescribeFieldCount(found), line);

        var user = Id(users, line, fields, layout.UserField, "user", lineNumber);
        var item = Id(items, line, fields, layout.ItemField, "item", lineNumber);
        if (domains is not null)
        {
            var itemText = line[fields[layout.ItemField]].Trim();
            if (layout.HasDomains) domains.FromColumn(item, itemText, line[fields[layout.DomainField]], layout.DomainField, lineNumber, line);
            else domains.FromFile(item, itemText, layout.NumericIds, lineNumber);
        }
        var timestamp = layout.HasTimestamps ? Timestamp(line[fields[layout.TimestampField]], lineNumber) : 0;
        var label = false;
        if (layout.HasRatings)
        {
            var rating = Number(line[fields[layout.RatingField]], layout.RatingField, "rating", lineNumber);
            if (rating < minRating)
            {
                BelowRatingThreshold++;
                return;
            }
            label = rating >= labelThreshold;
        }
        table.Add(user, item, timestamp, label);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Id(IdInterner interner, ReadOnlySpan<char> line, Span<Range> fields, int field, string role, long lineNumber)
    {
        var text = line[fields[field]].Trim();
        if (layout.NumericIds)
            return TryParseDigits(text, out var id) || long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id)
                ? interner.Intern(id)
                : throw new DataFormatException(source, lineNumber, $"a numeric {role} id in field {field + 1}", text);
        return text.Length > 0
            ? interner.Intern(text)
            : throw new DataFormatException(source, lineNumber, $"a {role} id in field {field + 1}", line);
    }

    /// <summary>
    /// The common case of an id, 1 to 18 ASCII digits, without the general parser (which takes a sign, trailing nulls and
    /// overflow checks into account: anything else goes to it, so what is accepted does not change).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 18) return false;
        foreach (var c in text)
        {
            var digit = (uint)(c - '0');
            if (digit > 9) return false;
            value = value * 10 + digit;
        }
        return true;
    }

    /// <summary>Integer unix time; a float (RecBole "timestamp:float") is floored; an ISO date/time is read as UTC.</summary>
    private long Timestamp(ReadOnlySpan<char> text, long lineNumber)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            return seconds;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && Math.Abs(value) < 9e18)
            return (long)Math.Floor(value);
        if (text.Length >= 8 && text.Contains('-') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return date.ToUnixTimeSeconds();
        throw new DataFormatException(source, lineNumber, $"a numeric timestamp in field {layout.TimestampField + 1}", text);
    }

    private double Number(ReadOnlySpan<char> text, int field, string role, long lineNumber)
    {
        text = text.Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new DataFormatException(source, lineNumber, $"a numeric {role} in field {field + 1}", text);
    }
}
