using System.Globalization;

namespace PLaw.Data.Import;

/// <summary>
/// Where a format keeps its fields on a line: the separator, how many fields a line must have, which field holds
/// the user, item, timestamp, rating and item domain (-1 when absent), and whether ids are numbers or tokens. Each format's
/// layout is decided from its first line (<see cref="MovieLens"/>, <see cref="Sasrec"/>, <see cref="Csv"/>,
/// <see cref="RecBole"/>).
/// </summary>
internal sealed record LineLayout(
    Separator Separator,
    int FieldCount,
    bool ExactFieldCount,
    int UserField,
    int ItemField,
    int TimestampField,
    int RatingField,
    bool NumericIds,
    bool FirstLineIsHeader,
    string FieldNames,
    int DomainField = LineLayout.Absent)
{
    public const int Absent = -1;

    public bool HasTimestamps => TimestampField != Absent;
    public bool HasRatings => RatingField != Absent;
    public bool HasDomains => DomainField != Absent;

    /// <summary>Fields a line must hold for every used column to be present.</summary>
    public int UsedFieldCount => Math.Max(Math.Max(Math.Max(UserField, ItemField), Math.Max(TimestampField, RatingField)), DomainField) + 1;

    public string DescribeFieldCount(int found) =>
        $"{(ExactFieldCount ? "" : "at least ")}{FieldCount} {Separator.Describe()} separated fields ({FieldNames}) but the line has {found}";

    private const string MovieLensCsvHeader = "userId,movieId,rating,timestamp";

    /// <summary>ratings.dat (<c>::</c>), u.data (tab) or ratings.csv (comma, with or without its header).</summary>
    public static LineLayout MovieLens(ReadOnlySpan<char> first, string source, long line)
    {
        if (first.Contains("::", StringComparison.Ordinal))
            return FourFields(Separator.DoubleColon, header: false);
        if (first.Contains('\t'))
            return FourFields(Separator.Of('\t'), header: false);
        if (first.Contains(','))
        {
            var startsWithNumber = long.TryParse(first[..first.IndexOf(',')], NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            if (!startsWithNumber && !first.Trim().Equals(MovieLensCsvHeader, StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException(source, line, $"the ratings.csv header '{MovieLensCsvHeader}'", first);
            return FourFields(Separator.Of(','), header: !startsWithNumber);
        }
        throw new DataFormatException(source, line,
            "a MovieLens line: user::item::rating::timestamp (ratings.dat), tab separated (u.data) or comma separated (ratings.csv)", first);

        static LineLayout FourFields(Separator separator, bool header) =>
            new(separator, 4, ExactFieldCount: true, 0, 1, 3, 2, NumericIds: true, header, "user, item, rating, timestamp");
    }

    /// <summary>SASRec text: exactly "user item", numeric ids, no timestamps.</summary>
    public static LineLayout Sasrec() =>
        new(Separator.Whitespace, 2, ExactFieldCount: true, 0, 1, Absent, Absent, NumericIds: true, FirstLineIsHeader: false, "user, item");

    /// <summary>Generic CSV/TSV: columns by header name or by 0-based index; ids are tokens.</summary>
    public static LineLayout Csv(CsvColumns columns, ReadOnlySpan<char> first, string source, long line)
    {
        var separator = Separator.Of(columns.Delimiter ?? SniffDelimiter(first, source, line));
        if (!columns.HasHeader)
        {
            var user = Index(columns.User, nameof(CsvColumns.User));
            var item = Index(columns.Item, nameof(CsvColumns.Item));
            var time = columns.Timestamp is null ? Absent : Index(columns.Timestamp, nameof(CsvColumns.Timestamp));
            var rating = columns.Rating is null ? Absent : Index(columns.Rating, nameof(CsvColumns.Rating));
            var domain = columns.Domain is null ? Absent : Index(columns.Domain, nameof(CsvColumns.Domain));
            var layout = new LineLayout(separator, 0, ExactFieldCount: false, user, item, time, rating, NumericIds: false,
                FirstLineIsHeader: false, Names(columns), domain);
            return layout with { FieldCount = layout.UsedFieldCount };
        }

        var header = SplitHeader(first, separator);
        var headerLine = first.ToString();
        int Column(string name, string role)
        {
            var at = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.Ordinal));
            if (at < 0) at = Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (at < 0 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < header.Length) at = index;
            if (at < 0)
                throw new DataFormatException(source, line,
                    $"a column named '{EchoedText.Of(name)}' for the {role} in the {separator.Describe()} separated header ({HeaderNames(header)})", headerLine);
            return at;
        }
        return new LineLayout(separator, header.Length, ExactFieldCount: false,
            Column(columns.User, "user"), Column(columns.Item, "item"),
            columns.Timestamp is null ? Absent : Column(columns.Timestamp, "timestamp"),
            columns.Rating is null ? Absent : Column(columns.Rating, "rating"),
            NumericIds: false, FirstLineIsHeader: true, Names(columns),
            columns.Domain is null ? Absent : Column(columns.Domain, "item domain"));

        // A header of thousands of columns is named by its first few, and counted.
        static string HeaderNames(string[] names) => names.Length <= 20
            ? string.Join(", ", names.Select(n => EchoedText.Of(n, 40)))
            : string.Join(", ", names.Take(20).Select(n => EchoedText.Of(n, 40))) + $", … {names.Length:N0} columns in all";

        static int Index(string name, string role) =>
            int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? index
                : throw new ArgumentException(
                    $"Without a header, CSV column {role} must be a 0-based index such as \"0\", not '{EchoedText.Of(name)}'.", nameof(columns));

        static string Names(CsvColumns c) =>
            string.Join(", ", new[] { c.User, c.Item, c.Rating, c.Timestamp, c.Domain }.Where(n => n is not null));
    }

    /// <summary>RecBole atomic .inter: tab separated header of name:type fields; user_id, item_id, rating, timestamp.</summary>
    public static LineLayout RecBole(ReadOnlySpan<char> first, string source, long line)
    {
        var separator = Separator.Of('\t');
        var header = SplitHeader(first, separator);
        var names = header.Select(h => h.Split(':')[0].Trim()).ToArray();
        if (header.Any(h => !h.Contains(':')))
            throw new DataFormatException(source, line, "a tab separated RecBole header of name:type fields such as 'user_id:token'", first);
        int Find(string name) => Array.FindIndex(names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var user = Find("user_id");
        var item = Find("item_id");
        if (user < 0 || item < 0)
            throw new DataFormatException(source, line, "RecBole header fields user_id:token and item_id:token", first);
        return new LineLayout(separator, header.Length, ExactFieldCount: false, user, item, Find("timestamp"), Find("rating"),
            NumericIds: false, FirstLineIsHeader: true, string.Join(", ", names));
    }

    private static string[] SplitHeader(ReadOnlySpan<char> first, Separator separator)
    {
        Span<Range> none = [];
        var count = separator.Split(first, none);
        var ranges = new Range[count];
        separator.Split(first, ranges);
        var names = new string[count];
        for (var i = 0; i < count; i++)
            names[i] = first[ranges[i]].Trim().ToString();
        return names;
    }

    private static char SniffDelimiter(ReadOnlySpan<char> first, string source, long line)
    {
        ReadOnlySpan<char> candidates = [',', '\t', ';'];
        var best = '\0';
        var bestCount = 0;
        foreach (var c in candidates)
        {
            var count = first.Count(c);
            if (count > bestCount) (best, bestCount) = (c, count);
        }
        return bestCount > 0
            ? best
            : throw new DataFormatException(source, line, "a line separated by ',', tab or ';' (or give the delimiter)", first);
    }
}
