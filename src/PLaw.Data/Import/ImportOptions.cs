using PLaw.Data.Preprocessing;

namespace PLaw.Data.Import;

/// <summary>What to import and how to clean it. <see cref="Columns"/> is required for <see cref="InteractionFormat.Csv"/>.</summary>
public sealed record ImportOptions(InteractionFormat Format, CsvColumns? Columns = null, PreprocessOptions? Preprocess = null);

/// <summary>Reported every ~64K lines and once at the end. <see cref="TotalBytes"/> is 0 when the length is unknown.</summary>
public sealed record ImportProgress(long BytesRead, long TotalBytes, long Lines);
