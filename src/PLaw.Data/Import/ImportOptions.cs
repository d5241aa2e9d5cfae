using PLaw.Data.Preprocessing;

namespace PLaw.Data.Import;

/// <summary>What to import and how to clean it. <see cref="Columns"/> is required for <see cref="InteractionFormat.Csv"/>.</summary>
/// <param name="ItemDomainFile">An item→domain file (<see cref="Import.ItemDomainFile"/>) giving every item's domain; not with
/// a CSV domain column (<see cref="CsvColumns.Domain"/>).</param>
/// <param name="LabelThreshold">Keep each interaction's label, rating ≥ this → positive, else negative (labelled impressions for
/// the ranking task; MovieLens: 4); null keeps no labels. Needs a rating column.</param>
public sealed record ImportOptions(InteractionFormat Format, CsvColumns? Columns = null, PreprocessOptions? Preprocess = null,
    string? ItemDomainFile = null, double? LabelThreshold = null)
{
    /// <summary>The MovieLens convention: a rating of 4 or 5 (of 5) is a positive impression.</summary>
    public const double DefaultLabelThreshold = 4;
}

/// <summary>Reported every ~64K lines and once at the end. <see cref="TotalBytes"/> is 0 when the length is unknown.</summary>
public sealed record ImportProgress(long BytesRead, long TotalBytes, long Lines);
