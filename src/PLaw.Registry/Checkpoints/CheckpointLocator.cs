using PLaw.Registry.Runs;

namespace PLaw.Registry.Checkpoints;

/// <summary>
/// Finds a run's newest checkpoint wherever its workers kept it, for readers that load it (<c>plaw export-model</c>,
/// <c>plaw challenge</c>, the Challenges panel): the registry's copy when there is one (this host's file when it is the same
/// bytes, else a verified download to a temporary file), else the file the run's row names, else the default runs folder.
/// </summary>
public sealed class CheckpointLocator(CheckpointStore store)
{
    public async Task<LocatedCheckpoint> LocateAsync(RunRecord run, string runsDirectory, CancellationToken ct = default)
    {
        var candidates = new[] { run.CheckpointPath, Path.Combine(runsDirectory, $"run-{run.Id}", "checkpoint.bin") }
            .OfType<string>().Distinct().ToList();
        if (await store.FindAsync(run.Id, ct) is { } stored)
        {
            foreach (var file in candidates)
                if (File.Exists(file) && new FileInfo(file).Length == stored.Length && await CheckpointStore.HashFileAsync(file, ct) == stored.Sha256)
                    return new LocatedCheckpoint(file, FromRegistry: false);
            var temporary = Path.Combine(Path.GetTempPath(), $"plaw-run-{run.Id}-{Guid.NewGuid():N}.checkpoint");
            var located = new LocatedCheckpoint(temporary, FromRegistry: true);
            try
            {
                await store.FetchAsync(run.Id, temporary, ct);
            }
            catch
            {
                located.Dispose();
                throw;
            }
            // Purged or replaced by nothing between the two reads: fall through to the files.
            if (File.Exists(temporary)) return located;
        }
        if (candidates.FirstOrDefault(File.Exists) is { } found) return new LocatedCheckpoint(found, FromRegistry: false);
        throw new FileNotFoundException($"Run {run.Id} has no checkpoint: none in the registry, and no file at {string.Join(" or ", candidates)}.",
            candidates[0]);
    }
}

/// <summary>A checkpoint file to read; a copy downloaded from the registry is deleted on dispose.</summary>
public sealed record LocatedCheckpoint(string Path, bool FromRegistry) : IDisposable
{
    public void Dispose()
    {
        if (!FromRegistry) return;
        try { File.Delete(Path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
