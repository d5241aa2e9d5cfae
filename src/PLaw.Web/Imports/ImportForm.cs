using PLaw.Data.Import;
using PLaw.Data.Preprocessing;

namespace PLaw.Web.Imports;

/// <summary>What the import form edits; turns into the library's <see cref="ImportOptions"/>.</summary>
public sealed class ImportForm
{
    public string Name { get; set; } = "";
    public InteractionFormat Format { get; set; } = InteractionFormat.MovieLens;
    public string ServerPath { get; set; } = "";

    public string UserColumn { get; set; } = "user";
    public string ItemColumn { get; set; } = "item";
    public string TimestampColumn { get; set; } = "timestamp";
    public string RatingColumn { get; set; } = "";
    public string Delimiter { get; set; } = "";
    public bool HasHeader { get; set; } = true;

    /// <summary>CSV only: the column naming each item's domain (multi-domain data); empty = none.</summary>
    public string DomainColumn { get; set; } = "";

    /// <summary>An item→domain file under the import root ("item&lt;TAB&gt;domain" lines); empty = none.</summary>
    public string ItemDomainPath { get; set; } = "";

    public double? MinRating { get; set; }
    public int UserCore { get; set; }
    public int ItemCore { get; set; }
    public int? MaxLength { get; set; }
    public bool RemoveDuplicates { get; set; }

    /// <summary>What is wrong with the delimiter, shown beside the field; null when it is usable.</summary>
    public string? DelimiterError => Format == InteractionFormat.Csv && ParseDelimiter(Delimiter, out _) is false
        ? $"'{Delimiter}' is not one character; give one character, 'tab', or leave it empty to detect."
        : null;

    /// <summary>What is wrong with the CSV column mapping, shown beside the user and item fields; null when both are given.</summary>
    public string? UserColumnError => Format == InteractionFormat.Csv && string.IsNullOrWhiteSpace(UserColumn) ? "Name the user column (or its 0-based index)." : null;
    public string? ItemColumnError => Format == InteractionFormat.Csv && string.IsNullOrWhiteSpace(ItemColumn) ? "Name the item column (or its 0-based index)." : null;

    /// <summary>What is wrong with the item-domain source, shown beside the file field; null when usable.</summary>
    public string? ItemDomainError => Format == InteractionFormat.Csv && !string.IsNullOrWhiteSpace(DomainColumn) && !string.IsNullOrWhiteSpace(ItemDomainPath)
        ? "Give the items' domains one way: a domain column or an item→domain file, not both."
        : null;

    public bool IsValid => DelimiterError is null && UserColumnError is null && ItemColumnError is null && ItemDomainError is null;

    /// <param name="itemDomainFile">The resolved item→domain file (<see cref="ItemDomainPath"/> checked against the import root), or null.</param>
    public ImportOptions ToOptions(string? itemDomainFile = null)
    {
        var columns = Format == InteractionFormat.Csv
            ? new CsvColumns(UserColumn.Trim(), ItemColumn.Trim(), NullIfBlank(TimestampColumn), NullIfBlank(RatingColumn),
                ParseDelimiter(Delimiter, out var delimiter) ? delimiter
                    : throw new ArgumentException($"Delimiter '{Delimiter}' must be one character, 'tab' or empty (detect)."),
                HasHeader, NullIfBlank(DomainColumn))
            : null;
        return new ImportOptions(Format, columns, new PreprocessOptions(MinRating, UserCore, ItemCore, MaxLength, RemoveDuplicates), itemDomainFile);
    }

    private static bool ParseDelimiter(string text, out char? delimiter)
    {
        delimiter = text switch { "" => null, "\\t" or "tab" => '\t', { Length: 1 } d => d[0], _ => null };
        return text is "" or "\\t" or "tab" || text.Length == 1;
    }

    private static string? NullIfBlank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
