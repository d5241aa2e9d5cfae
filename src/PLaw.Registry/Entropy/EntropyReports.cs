using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Entropy;
using PLaw.Registry.Datasets;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Entropy;

/// <summary>One row of a dataset's entropy table as the registry holds it: the measures, how long they took, and whether they came from the cache.</summary>
public sealed record EntropyRowReport(EntropyRow Row, double ComputeMilliseconds, DateTime CreatedUtc, bool FromCache);

/// <summary>
/// Entropy tables, computed once per (dataset, L, m, r, variant) and cached in the registry.
/// Concurrent requests for the same dataset wait for one computation instead of repeating it.
/// </summary>
public sealed class EntropyReports(IDbContextFactory<RegistryDbContext> factory, DatasetCatalog catalog, ILogger<EntropyReports> logger)
{
    /// <summary>The estimator definitions in PLaw.Entropy; bump it when a definition changes so stale rows are not reused.</summary>
    public const string Variant = "plaw-v1";

    private readonly ConcurrentDictionary<int, SemaphoreSlim> locks = new();

    public async Task<IReadOnlyList<EntropyRowReport>> GetCachedAsync(int datasetId, int m, int r, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var records = await db.EntropyReports.AsNoTracking()
            .Where(e => e.DatasetId == datasetId && e.M == m && e.R == r && e.Variant == Variant)
            .OrderBy(e => e.MaxLen)
            .ToListAsync(ct);
        return records.Select(e => ToReport(e, fromCache: true)).ToList();
    }

    /// <summary>The table for every L in <paramref name="options"/>; rows already in the registry are read, the rest computed and stored.</summary>
    public async Task<IReadOnlyList<EntropyRowReport>> GetOrComputeAsync(int datasetId, EntropyTableOptions options,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var gate = locks.GetOrAdd(datasetId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var cached = (await GetCachedAsync(datasetId, options.M, options.R, ct)).ToDictionary(e => e.Row.MaxLen);
            var missing = options.MaxLengths.Distinct().Where(l => !cached.ContainsKey(l)).Order().ToList();
            if (missing.Count > 0)
            {
                var sequences = await catalog.LoadSequencesAsync(datasetId, ct);
                for (var i = 0; i < missing.Count; i++)
                {
                    var done = i;
                    var rowProgress = progress is null ? null : new ForwardedProgress<double>(f => progress.Report((done + f) / missing.Count));
                    var stopwatch = Stopwatch.StartNew();
                    var row = await Task.Run(() => EntropyTable.Compute(sequences, options with { MaxLengths = [missing[i]] }, rowProgress, ct)[0], ct);
                    var record = new EntropyReportRecord
                    {
                        DatasetId = datasetId,
                        MaxLen = row.MaxLen,
                        M = options.M,
                        R = options.R,
                        Variant = Variant,
                        RowJson = RegistryJson.Serialize(row),
                        ComputeMilliseconds = stopwatch.Elapsed.TotalMilliseconds,
                        CreatedUtc = DateTime.UtcNow,
                    };
                    await using var db = await factory.CreateDbContextAsync(ct);
                    db.EntropyReports.Add(record);
                    await db.SaveChangesAsync(CancellationToken.None);
                    logger.LogInformation("Entropy row for dataset {DatasetId}, L={MaxLen}, m={M}, r={R} computed in {Milliseconds:F0} ms",
                        datasetId, row.MaxLen, options.M, options.R, record.ComputeMilliseconds);
                    cached[row.MaxLen] = ToReport(record, fromCache: false);
                }
            }
            progress?.Report(1);
            return options.MaxLengths.Distinct().Order().Select(l => cached[l]).ToList();
        }
        finally
        {
            gate.Release();
        }
    }

    private static EntropyRowReport ToReport(EntropyReportRecord record, bool fromCache) =>
        new(RegistryJson.Deserialize<EntropyRow>(record.RowJson), record.ComputeMilliseconds, record.CreatedUtc, fromCache);
}
