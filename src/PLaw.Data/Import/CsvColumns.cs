namespace PLaw.Data.Import;

/// <summary>
/// Which columns of a generic CSV/TSV file hold the user, item, timestamp, rating and (optionally) the item's domain. With a header the names are
/// column names (matched exactly, then ignoring case; a name absent from the header may be a 0-based index);
/// without a header they are 0-based indices written as "0", "1", …
/// </summary>
/// <param name="Domain">The item's domain (multi-domain data); every line of an item must name the same domain.</param>
/// <param name="Delimiter">Null: sniffed from the first line, the most frequent of ',', '\t' and ';'.</param>
public sealed record CsvColumns(
    string User,
    string Item,
    string? Timestamp = null,
    string? Rating = null,
    char? Delimiter = null,
    bool HasHeader = true,
    string? Domain = null);
