using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Runs;

/// <summary>
/// Queues, lists and changes runs and studies. Every change that someone watching should see is also published on the
/// <see cref="RunFeed"/>. The queue lives in the registry file, so runs queued by the CLI or left by a crash are found again.
/// </summary>
public sealed class RunCatalog(IDbContextFactory<RegistryDbContext> factory, RunFeed feed, ILogger<RunCatalog> logger)
{
    public async Task<RunRecord> QueueAsync(int datasetId, RunOptions options, string tags = "", string? note = null,
        CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var items = await DatasetItemsAsync(db, datasetId, ct);
        var problems = options.Validate(items);
        if (problems.Count > 0) throw new RunOptionsException(problems);
        var run = NewRun(datasetId, null, options, items, tags, note);
        db.Runs.Add(run);
        await db.SaveChangesAsync(CancellationToken.None);
        await LogAsync(run.Id, $"queued: {run.Name}", CancellationToken.None);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        logger.LogInformation("Queued run {RunId} {RunName} on dataset {DatasetId}", run.Id, run.Name, datasetId);
        return run;
    }

    /// <summary>Stores the study and queues every run of its grid in one transaction, or nothing when any run is invalid.</summary>
    public async Task<(StudyRecord Study, IReadOnlyList<RunRecord> Runs)> CreateStudyAsync(string name, int datasetId, StudyGrid grid,
        string tags = "", string? note = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new RunOptionsException(["A study needs a name."]);
        await using var db = await factory.CreateDbContextAsync(ct);
        var items = await DatasetItemsAsync(db, datasetId, ct);
        if (await db.Studies.AnyAsync(s => s.Name == name, ct))
            throw new RunOptionsException([$"A study named '{name}' already exists."]);
        var expanded = grid.Expand();
        var problems = expanded.SelectMany(o => o.Validate(items).Select(p => $"{o.DisplayName}: {p}")).ToList();
        if (problems.Count > 0) throw new RunOptionsException(problems);

        var study = new StudyRecord
        {
            Name = name, DatasetId = datasetId, GridJson = RegistryJson.Serialize(grid), CreatedUtc = DateTime.UtcNow,
            Tags = NormaliseTags(tags), Note = note,
        };
        db.Studies.Add(study);
        await db.SaveChangesAsync(ct);
        var runs = expanded.Select(o => NewRun(datasetId, study.Id, o, items, tags, null)).ToList();
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync(CancellationToken.None);
        foreach (var run in runs) feed.Publish(new RunChanged(RunSummary.Of(run)));
        logger.LogInformation("Created study {StudyId} {StudyName} with {RunCount} runs", study.Id, name, runs.Count);
        return (study, runs);
    }

    public async Task<IReadOnlyList<RunSummary>> ListAsync(int? studyId = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.Runs.AsNoTracking();
        if (studyId is { } s) query = query.Where(r => r.StudyId == s);
        // Only the summary's columns: the options and metrics JSON would triple what 10,000 runs cost to read.
        return await query.OrderByDescending(r => r.Id).Select(r => new RunSummary(r.Id, r.Name, r.StudyId, r.DatasetId, r.Model,
            r.Layers, r.Dim, r.MaxLength, r.Precision, r.Seed, r.Status, r.EpochsDone, r.Epochs, r.StepsDone, r.LastLoss, r.TestHr10,
            r.TestNdcg10, r.EmbeddingParameters, r.NonEmbeddingParameters, r.CreatedUtc, r.StartedUtc, r.FinishedUtc, r.Tags, r.Error,
            r.Host)).ToListAsync(ct);
    }

    /// <summary>The final test metrics of the given runs, in one query (the law pages read hundreds of runs at a time).</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyDictionary<string, double>>> FinalMetricsAsync(IReadOnlyCollection<int> runIds,
        CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id) && r.FinalMetricsJson != null)
            .Select(r => new { r.Id, r.FinalMetricsJson }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => RunJson.Metrics(r.FinalMetricsJson));
    }

    public async Task<RunRecord?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
    }

    public async Task<IReadOnlyList<StudyRecord>> StudiesAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Studies.AsNoTracking().OrderByDescending(s => s.Id).ToListAsync(ct);
    }

    public async Task<StudyRecord?> FindStudyAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Studies.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
    }

    public async Task<IReadOnlyList<RunEventRecord>> EventsAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync(ct);
    }

    /// <summary>A queued run is cancelled at once; a running one is asked to stop (its worker checkpoints and marks it).</summary>
    public async Task<RunStatus> CancelAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new KeyNotFoundException($"Run {id} does not exist.");
        switch (run.Status)
        {
            case RunStatus.Queued:
                run.Status = RunStatus.Cancelled;
                run.FinishedUtc = DateTime.UtcNow;
                break;
            case RunStatus.Running:
                run.CancelRequested = true;
                break;
            default:
                return run.Status;
        }
        await db.SaveChangesAsync(ct);
        await LogAsync(id, run.Status == RunStatus.Cancelled ? "cancelled before it started" : "cancel requested", ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        return run.Status;
    }

    /// <summary>Puts a failed or cancelled run back in the queue; it resumes from its last checkpoint, keeping its history.</summary>
    public async Task RequeueAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new KeyNotFoundException($"Run {id} does not exist.");
        if (run.Status is not (RunStatus.Failed or RunStatus.Cancelled))
            throw new InvalidOperationException($"Run {id} is {run.Status.ToString().ToLowerInvariant()}; only failed or cancelled runs can be re-queued.");
        run.Status = RunStatus.Queued;
        run.CancelRequested = false;
        run.Error = null;
        run.FinishedUtc = null;
        await db.SaveChangesAsync(ct);
        await LogAsync(id, "re-queued", ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
    }

    public async Task SetTagsAsync(int id, string tags, string? note, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw new KeyNotFoundException($"Run {id} does not exist.");
        run.Tags = NormaliseTags(tags);
        run.Note = note;
        await db.SaveChangesAsync(ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
    }

    public async Task LogAsync(int runId, string text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var line = new RunEventRecord { RunId = runId, TimeUtc = DateTime.UtcNow, Text = text.Length > 4000 ? text[..4000] : text };
        db.RunEvents.Add(line);
        await db.SaveChangesAsync(ct);
        feed.Publish(new RunLogged(runId, line.TimeUtc, line.Text));
    }

    /// <summary>Takes the oldest queued run for <paramref name="host"/> (one UPDATE, so two workers never take the same run).</summary>
    public async Task<RunRecord?> ClaimNextAsync(string host, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var claimed = await db.Database.SqlQuery<int>($"""
            UPDATE Runs SET Status = 'Running', Host = {host}, StartedUtc = COALESCE(StartedUtc, {now}), Attempts = Attempts + 1
            WHERE Id = (SELECT Id FROM Runs WHERE Status = 'Queued' ORDER BY Id LIMIT 1) AND Status = 'Queued'
            RETURNING Id AS Value
            """).ToListAsync(ct);
        if (claimed.Count == 0) return null;
        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == claimed[0], ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        return run;
    }

    /// <summary>Runs left "running" by a crash or restart go back to the queue; they resume from their last checkpoint.</summary>
    public async Task<IReadOnlyList<int>> RecoverAbandonedAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var abandoned = await db.Runs.Where(r => r.Status == RunStatus.Running).ToListAsync(ct);
        foreach (var run in abandoned)
        {
            run.Status = run.CancelRequested ? RunStatus.Cancelled : RunStatus.Queued;
            if (run.Status == RunStatus.Cancelled) run.FinishedUtc = DateTime.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        foreach (var run in abandoned)
        {
            await LogAsync(run.Id, run.Status == RunStatus.Queued
                ? $"found running after a restart (last host {run.Host}); re-queued to resume from its checkpoint"
                : "found running after a restart with a cancel request; cancelled", ct);
            feed.Publish(new RunChanged(RunSummary.Of(run)));
        }
        return abandoned.ConvertAll(r => r.Id);
    }

    /// <summary>The worker's view of a run it trains: progress counters, or the final state.</summary>
    public async Task<RunRecord> UpdateAsync(int id, Action<RunRecord> change, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var run = await db.Runs.FirstAsync(r => r.Id == id, ct);
        change(run);
        await db.SaveChangesAsync(ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        return run;
    }

    public async Task<bool> IsCancelRequestedAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Runs.Where(r => r.Id == id).Select(r => r.CancelRequested).FirstOrDefaultAsync(ct);
    }

    private static RunRecord NewRun(int datasetId, int? studyId, RunOptions options, int items, string tags, string? note)
    {
        var parameters = ParameterCount.Of(options, items);
        return new RunRecord
        {
            Name = options.DisplayName, StudyId = studyId, DatasetId = datasetId, OptionsJson = RunJson.Serialize(options),
            Model = options.Model.ToString().ToLowerInvariant(), Layers = options.Layers, Dim = options.Dim,
            MaxLength = options.MaxLength, Precision = options.Precision.ToString().ToLowerInvariant(), Seed = options.Seed,
            Epochs = options.Epochs, EmbeddingParameters = parameters.Embedding, NonEmbeddingParameters = parameters.NonEmbedding,
            Status = RunStatus.Queued, CreatedUtc = DateTime.UtcNow, Tags = NormaliseTags(tags), Note = note,
        };
    }

    private static async Task<int> DatasetItemsAsync(RegistryDbContext db, int datasetId, CancellationToken ct) =>
        await db.Datasets.Where(d => d.Id == datasetId).Select(d => (int?)d.Items).FirstOrDefaultAsync(ct)
        ?? throw new RunOptionsException([$"Dataset {datasetId} does not exist."]);

    public static string NormaliseTags(string? tags) => string.Join(",",
        (tags ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).Distinct());
}
