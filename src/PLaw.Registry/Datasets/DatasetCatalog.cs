using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Data.Storage;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Datasets;

/// <summary>
/// Imports, lists, loads, deletes (softly), restores and purges datasets. A dataset and its sequences are written in one
/// transaction.
/// </summary>
public sealed class DatasetCatalog(IDbContextFactory<RegistryDbContext> factory, ILogger<DatasetCatalog> logger)
{
    public async Task<IReadOnlyList<DatasetRecord>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Datasets.AsNoTracking().OrderBy(d => d.Id).ToListAsync(ct);
    }

    public async Task<DatasetRecord?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
    }

    public async Task<DatasetRecord?> FindByNameAsync(string name, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Name == name, ct);
    }

    public async Task<SequenceSet> LoadSequencesAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var blob = await db.DatasetSequences.AsNoTracking().Where(s => s.DatasetId == id).Select(s => s.Data).FirstOrDefaultAsync(ct)
            ?? throw new KeyNotFoundException($"Dataset {id} does not exist.");
        return SequenceSetFormat.FromBytes(blob);
    }

    /// <summary>Reads the file (streaming, with progress) and stores the result; throws <see cref="DataFormatException"/> on bad input, leaving the registry untouched.</summary>
    public async Task<DatasetRecord> ImportAsync(DatasetImportRequest request, IProgress<DatasetImportProgress>? progress = null, CancellationToken ct = default)
    {
        await EnsureNameFreeAsync(request.Name, ct);
        // Forwarded in the reader's own call, not posted (as Progress<T> would) to the thread pool, where a late "reading"
        // could land after "done" and move the bar back.
        var readProgress = progress is null ? null : new ForwardedProgress<ImportProgress>(p => progress.Report(new DatasetImportProgress(
            "reading", p.TotalBytes > 0 ? 0.9 * p.BytesRead / p.TotalBytes : 0, $"{p.Lines:N0} lines")));
        var result = await Task.Run(() => DatasetImporter.Import(request.Path, request.Options, readProgress, ct), ct);
        progress?.Report(new DatasetImportProgress("storing", 0.9, $"{result.Sequences.UserCount:N0} users"));
        var record = await StoreAsync(request.Name, request.SourceLabel ?? Path.GetFullPath(request.Path),
            InteractionFormats.Name(request.Options.Format), RegistryJson.Serialize(request.Options),
            RegistryJson.Serialize(result.Statistics), result.Sequences, ct);
        progress?.Report(new DatasetImportProgress("done", 1, $"dataset {record.Id}"));
        return record;
    }

    public async Task<DatasetRecord> StoreAsync(string name, string source, string format, string optionsJson, string statisticsJson,
        SequenceSet sequences, CancellationToken ct = default)
    {
        var blob = SequenceSetFormat.ToBytes(sequences);
        var record = new DatasetRecord
        {
            Name = name,
            Source = source,
            Format = format,
            OptionsJson = optionsJson,
            StatisticsJson = statisticsJson,
            Users = sequences.UserCount,
            Items = sequences.ItemCount,
            Interactions = sequences.InteractionCount,
            Checksum = SequenceSetFormat.Checksum(sequences),
            CreatedUtc = DateTime.UtcNow,
            Sequences = new DatasetSequences { Data = blob },
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        await EnsureNameFreeAsync(db, name, ct);
        db.Datasets.Add(record);
        // One SaveChanges is one transaction: the row and its blob land together or not at all.
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Stored dataset {DatasetId} {DatasetName}: {Users} users, {Items} items, {Interactions} interactions, {BlobBytes} bytes",
            record.Id, name, record.Users, record.Items, record.Interactions, blob.Length);
        record.Sequences = null;
        return record;
    }

    /// <summary>Datasets deleted but not purged (newest deletion first), for the restore list.</summary>
    public async Task<IReadOnlyList<DatasetRecord>> ListDeletedAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Datasets.IgnoreQueryFilters().AsNoTracking().Where(d => d.DeletedUtc != null)
            .OrderByDescending(d => d.DeletedUtc).ThenByDescending(d => d.Id).ToListAsync(ct);
    }

    /// <summary>What deleting dataset <paramref name="id"/> would hide with it (and purging would remove); null when there is no such live dataset.</summary>
    public async Task<DatasetDeletion?> DescribeDeletionAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Datasets.AsNoTracking().Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (name is null) return null;
        return await DescribeAsync(db, id, name, ct);
    }

    private static async Task<DatasetDeletion> DescribeAsync(RegistryDbContext db, int id, string name, CancellationToken ct)
    {
        var runs = await db.Runs.IgnoreQueryFilters().AsNoTracking().Where(r => r.DatasetId == id)
            .Select(r => new { r.Id, r.Status, r.CheckpointPath }).ToListAsync(ct);
        var runIds = runs.Select(r => r.Id).ToList();
        var points = runIds.Count == 0 ? 0 : await db.MetricPoints.LongCountAsync(p => runIds.Contains(p.RunId), ct);
        var studies = await db.Studies.IgnoreQueryFilters().CountAsync(s => s.DatasetId == id, ct);
        // Checkpoints in the registry go with their runs (the cascade from Runs to CheckpointChunks).
        var stored = runIds.Count == 0 ? 0 : await db.CheckpointChunks.CountAsync(c => c.Sequence == 0 && runIds.Contains(c.RunId), ct);
        return new DatasetDeletion(id, name, studies, runs.Count, runs.Count(r => r.Status is RunStatus.Queued or RunStatus.Running), points,
            runs.Count(r => CheckpointFolder(r.Id, r.CheckpointPath) is { } folder && Directory.Exists(folder)), stored);
    }

    /// <summary>
    /// Deletes the dataset softly: it and its studies, runs and metric points drop out of every list, page, law, export and
    /// the queue, and stay restorable (<see cref="RestoreAsync"/>) until an admin purges them (<see cref="PurgeAsync"/>).
    /// Refused with <see cref="DatasetInUseException"/> while a run on it is queued or running: the check and the mark are
    /// one statement, so a run claimed in between cannot slip through. False when there is no such live dataset.
    /// </summary>
    public async Task<bool> DeleteAsync(int id, string? deletedBy = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var marked = await db.Datasets
            .Where(d => d.Id == id && !db.Runs.Any(r => r.DatasetId == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.DeletedUtc, now).SetProperty(d => d.DeletedBy, deletedBy), ct);
        if (marked == 0)
        {
            await ThrowIfInUseAsync(db, id, ct);
            return false;
        }
        logger.LogInformation("Deleted dataset {DatasetId} (restorable until purged) by {DeletedBy}", id, deletedBy ?? "(unknown)");
        return true;
    }

    /// <summary>Soft delete by nobody in particular (see the overload naming who deleted it).</summary>
    public Task<bool> DeleteAsync(int id, CancellationToken ct) => DeleteAsync(id, null, ct);

    /// <summary>Brings a deleted dataset back with its studies and runs; false when <paramref name="id"/> is not a deleted dataset.</summary>
    public async Task<bool> RestoreAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var restored = await db.Datasets.IgnoreQueryFilters().Where(d => d.Id == id && d.DeletedUtc != null)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.DeletedUtc, (DateTime?)null).SetProperty(d => d.DeletedBy, (string?)null), ct);
        if (restored > 0) logger.LogInformation("Restored dataset {DatasetId}", id);
        return restored > 0;
    }

    /// <summary>What purging dataset <paramref name="id"/> (live or deleted) removes; null when there is no such dataset.</summary>
    public async Task<DatasetDeletion?> DescribePurgeAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Datasets.IgnoreQueryFilters().AsNoTracking().Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct);
        return name is null ? null : await DescribeAsync(db, id, name, ct);
    }

    /// <summary>
    /// Removes the dataset for good (deleted or not) and, by the registry's cascade, its sequences, entropy tables, studies,
    /// runs and metric points, then the runs' checkpoint folders. Refused with <see cref="DatasetInUseException"/> while a
    /// run on it is queued or running. False when there is no such dataset.
    /// </summary>
    public async Task<bool> PurgeAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var runs = await db.Runs.IgnoreQueryFilters().AsNoTracking().Where(r => r.DatasetId == id)
            .Select(r => new { r.Id, r.CheckpointPath }).ToListAsync(ct);
        var deleted = await db.Datasets.IgnoreQueryFilters()
            .Where(d => d.Id == id && !db.Runs.IgnoreQueryFilters()
                .Any(r => r.DatasetId == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)))
            .ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            await ThrowIfInUseAsync(db, id, ct);
            return false;
        }
        foreach (var run in runs)
            DeleteCheckpointFolder(run.Id, run.CheckpointPath);
        logger.LogInformation("Purged dataset {DatasetId} with {Runs} runs", id, runs.Count);
        return true;
    }

    private static async Task ThrowIfInUseAsync(RegistryDbContext db, int id, CancellationToken ct)
    {
        var active = await db.Runs.IgnoreQueryFilters()
            .CountAsync(r => r.DatasetId == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), ct);
        var name = await db.Datasets.IgnoreQueryFilters().Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (name is not null && active > 0) throw new DatasetInUseException(name, active);
    }

    /// <summary>The worker's folder for a run's checkpoint (<c>runs/run-{id}</c>), and only that: never another folder a path names.</summary>
    private static string? CheckpointFolder(int runId, string? checkpointPath) =>
        Path.GetDirectoryName(checkpointPath) is { } folder && Path.GetFileName(folder) == $"run-{runId}" ? folder : null;

    private void DeleteCheckpointFolder(int runId, string? checkpointPath)
    {
        if (CheckpointFolder(runId, checkpointPath) is not { } folder || !Directory.Exists(folder)) return;
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not delete the checkpoint folder {Folder} of deleted run {RunId}: {Error}", folder, runId, e.Message);
        }
    }

    private async Task EnsureNameFreeAsync(string name, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await EnsureNameFreeAsync(db, name, ct);
    }

    private static async Task EnsureNameFreeAsync(RegistryDbContext db, string name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A dataset needs a name.", nameof(name));
        if (await db.Datasets.IgnoreQueryFilters().Where(d => d.Name == name).Select(d => new { d.DeletedUtc }).FirstOrDefaultAsync(ct) is { } taken)
            throw new InvalidOperationException(taken.DeletedUtc is null
                ? $"A dataset named '{name}' already exists; choose another name or delete it first."
                : $"A deleted dataset named '{name}' still exists; choose another name, or have an admin restore or purge it first.");
    }
}
