using PLaw.Data.Import;

namespace PLaw.Registry.Datasets;

/// <summary>Read <paramref name="Path"/> with <paramref name="Options"/> and store it as <paramref name="Name"/>.</summary>
/// <param name="SourceLabel">What the registry records as the source; the path when null (uploads record "upload:file name").</param>
public sealed record DatasetImportRequest(string Path, string Name, ImportOptions Options, string? SourceLabel = null);

/// <summary>Where an import is: <paramref name="Stage"/> is reading, storing or done; <paramref name="Fraction"/> of the whole, 0..1.</summary>
public sealed record DatasetImportProgress(string Stage, double Fraction, string Detail);
