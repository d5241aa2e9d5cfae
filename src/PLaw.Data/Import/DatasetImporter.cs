using PLaw.Data.Preprocessing;

namespace PLaw.Data.Import;

/// <summary>
/// Imports an interaction log into a <see cref="Sequences.SequenceSet"/>: streams the file line by line
/// (<see cref="InteractionReader"/>), then cleans it (<see cref="Preprocessor"/>). Item domains, from a CSV domain column or an
/// item→domain file (<see cref="ItemDomainFile"/>), travel with the kept items onto their new ids. Either the whole result is
/// returned or an exception is thrown: <see cref="DataFormatException"/> for bad lines,
/// <see cref="OperationCanceledException"/> on cancellation.
/// </summary>
public static class DatasetImporter
{
    /// <summary>The types whose AggressiveOptimization methods an import runs (<see cref="Runtime.CompileAhead"/>).</summary>
    public static IReadOnlyList<Type> HotTypes { get; } =
    [
        typeof(InteractionReader), typeof(LineReader), typeof(Separator), typeof(IdInterner), typeof(InteractionTable),
        typeof(Preprocessor),
    ];

    public static ImportResult Import(string path, ImportOptions options, IProgress<ImportProgress>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No interaction file at '{path}'.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Import(stream, path, options, progress, ct);
    }

    /// <param name="sourceName">Names the source in error messages (usually the file name).</param>
    public static ImportResult Import(Stream stream, string sourceName, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(options);
        var preprocess = options.Preprocess ?? PreprocessOptions.None;
        preprocess.Validate();
        if (options.Format == InteractionFormat.Csv && options.Columns is null)
            throw new ArgumentException("CSV import needs a column mapping (ImportOptions.Columns).", nameof(options));

        var itemDomains = options.ItemDomainFile is { } domainPath ? ItemDomainFile.Read(domainPath) : null;
        var totalBytes = stream.CanSeek ? stream.Length - stream.Position : 0;
        using var counting = new CountingStream(stream, leaveOpen: true);
        using var lines = new LineReader(counting);
        var reader = new InteractionReader(sourceName, options, itemDomains);
        var table = reader.Read(lines, () => counting.BytesRead, totalBytes, progress, ct);

        ct.ThrowIfCancellationRequested();
        var cleaned = Preprocessor.Apply(table, preprocess);
        if (cleaned.Sequences.InteractionCount == 0)
            throw new InvalidOperationException(
                $"{sourceName}: no interactions left after preprocessing ({reader.Lines} lines, {reader.BelowRatingThreshold} below " +
                $"the rating threshold, {cleaned.UsersRemovedByCore} users and {cleaned.ItemsRemovedByCore} items removed by k-core).");

        var sequences = reader.Domains is { } domains ? cleaned.Sequences.WithDomains(domains.Build(cleaned.RawItemOf)) : cleaned.Sequences;
        var statistics = new ImportStatistics(reader.Lines, cleaned.Sequences.InteractionCount, cleaned.DuplicatesRemoved,
            reader.BelowRatingThreshold, cleaned.UsersRemovedByCore, cleaned.ItemsRemovedByCore, reader.RawUsers, reader.RawItems,
            sequences.Domains?.Count ?? 0, sequences.Labels?.LongCount(l => l));
        return new ImportResult(sequences, statistics);
    }
}
