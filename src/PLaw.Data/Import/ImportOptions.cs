using PLaw.Data.Preprocessing;

namespace PLaw.Data.Import;

/// <summary>What to import and how to clean it. <see cref="Columns"/> is required for <see cref="InteractionFormat.Csv"/>.</summary>
/// <param name="ItemDomainFile">An item→domain file (<see cref="Import.ItemDomainFile"/>) giving every item's domain; not with
/// a CSV domain column (<see cref="CsvColumns.Domain"/>).</param>
public sealed record ImportOptions(InteractionFormat Format, CsvColumns? Columns = null, PreprocessOptions? Preprocess = null,
    string? ItemDomainFile = null);

/// <summary>Reported every ~64K lines and once at the end. <see cref="TotalBytes"/> is 0 when the length is unknown.</summary>
public sealed record ImportProgress(long BytesRead, long TotalBytes, long Lines);
