using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Data.Storage;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Datasets;

/// <summary>Imports, lists, loads and deletes datasets. A dataset and its sequences are written in one transaction.</summary>
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

    /// <summary>What deleting dataset <paramref name="id"/> would remove with it; null when there is no such dataset.</summary>
    public async Task<DatasetDeletion?> DescribeDeletionAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Datasets.AsNoTracking().Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (name is null) return null;
        var runs = await db.Runs.AsNoTracking().Where(r => r.DatasetId == id)
            .Select(r => new { r.Id, r.Status, r.CheckpointPath }).ToListAsync(ct);
        var runIds = runs.Select(r => r.Id).ToList();
        var points = runIds.Count == 0 ? 0 : await db.MetricPoints.LongCountAsync(p => runIds.Contains(p.RunId), ct);
        var studies = await db.Studies.CountAsync(s => s.DatasetId == id, ct);
        return new DatasetDeletion(id, name, studies, runs.Count, runs.Count(r => r.Status is RunStatus.Queued or RunStatus.Running), points,
            runs.Count(r => CheckpointFolder(r.Id, r.CheckpointPath) is { } folder && Directory.Exists(folder)));
    }

    /// <summary>
    /// Deletes the dataset and (by the registry's cascade) its studies, runs and metric points, then the runs' checkpoint
    /// folders. Refused with <see cref="DatasetInUseException"/> while a run on it is queued or running: the check and the
    /// delete are one statement, so a run claimed in between cannot slip through.
    /// </summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var runs = await db.Runs.AsNoTracking().Where(r => r.DatasetId == id).Select(r => new { r.Id, r.CheckpointPath }).ToListAsync(ct);
        var deleted = await db.Datasets
            .Where(d => d.Id == id && !db.Runs.Any(r => r.DatasetId == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)))
            .ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            var active = await db.Runs.CountAsync(r => r.DatasetId == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), ct);
            var name = await db.Datasets.Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(ct);
            if (name is not null && active > 0) throw new DatasetInUseException(name, active);
            return false;
        }
        foreach (var run in runs)
            DeleteCheckpointFolder(run.Id, run.CheckpointPath);
        logger.LogInformation("Deleted dataset {DatasetId} with {Runs} runs", id, runs.Count);
        return true;
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
        if (await db.Datasets.AnyAsync(d => d.Name == name, ct))
            throw new InvalidOperationException($"A dataset named '{name}' already exists; choose another name or delete it first.");
    }
}
