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
        var problems = Check(options, items);
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
        if (await db.Studies.IgnoreQueryFilters().AnyAsync(s => s.Name == name, ct))
            throw new RunOptionsException([await db.Studies.AnyAsync(s => s.Name == name, ct)
                ? $"A study named '{name}' already exists."
                : $"A study named '{name}' belongs to a deleted dataset; choose another name, or have an admin restore or purge the dataset."]);
        var expanded = grid.Expand();
        var problems = expanded.SelectMany(o => Check(o, items).Select(p => $"{o.DisplayName}: {p}")).ToList();
        if (grid.Asha is { } asha) problems.AddRange(asha.Problems(grid.Base.Epochs, grid.Base.EvalEvery).Select(p => $"ASHA {p.Field}: {p.Problem}"));
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

    /// <summary>
    /// One page of runs, filtered, sorted and paged by the database: two COUNTs and one LIMIT/OFFSET query over the summary's
    /// columns (plus each row's options for its evaluation protocol), never the whole table.
    /// </summary>
    public async Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var size = Math.Clamp(query.PageSize, 1, RunQuery.MaxPageSize);
        var filtered = Filter(db.Runs.AsNoTracking(), query);
        var total = await db.Runs.CountAsync(ct);
        var matching = query is { Text: null or "", Status: null, Model: null or "", StudyId: null } ? total : await filtered.CountAsync(ct);
        var pages = Math.Max(1, (matching + size - 1) / size);
        var page = Math.Clamp(query.Page, 0, pages - 1);
        var rows = await PageRows(filtered, query, page, size, RegistryConnection.IsPostgres(db.Database)).Select(r => new
            {
                Run = new RunSummary(r.Id, r.Name, r.StudyId, r.DatasetId, r.Model, r.Layers, r.Dim, r.MaxLength, r.Precision, r.Seed,
                    r.Status, r.EpochsDone, r.Epochs, r.StepsDone, r.LastLoss, r.TestHr10, r.TestNdcg10, r.EmbeddingParameters,
                    r.NonEmbeddingParameters, r.CreatedUtc, r.StartedUtc, r.FinishedUtc, r.Tags, r.Error, r.Host),
                r.OptionsJson,
            }).ToListAsync(ct);
        return new RunPage(rows.ConvertAll(r => new RunListItem(r.Run, EvalOf(r.OptionsJson), TaskOf(r.OptionsJson))), matching, total, page, size);
    }

    /// <summary>SQLite's plan (EXPLAIN QUERY PLAN) for the rows of a page of <paramref name="query"/>: which index it reads.</summary>
    public async Task<IReadOnlyList<string>> QueryPlanAsync(RunQuery query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var size = Math.Clamp(query.PageSize, 1, RunQuery.MaxPageSize);
        await using var command = PageRows(Filter(db.Runs.AsNoTracking(), query), query, Math.Max(0, query.Page), size, postgres: false)
            .Select(r => r.Id).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync(ct);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) plan.Add(reader.GetString(3));
        return plan;
    }

    private static IQueryable<RunRecord> PageRows(IQueryable<RunRecord> filtered, RunQuery query, int page, int size, bool postgres) =>
        Sorted(filtered, query.Sort, query.Descending, postgres).Skip(page * size).Take(size);

    /// <summary>The runs matching <paramref name="query"/>'s filters grouped by <paramref name="by"/>: one GROUP BY in the database.</summary>
    public async Task<IReadOnlyList<RunGroup>> GroupsAsync(RunQuery query, RunGrouping by, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var filtered = Filter(db.Runs.AsNoTracking(), query);
        var completed = RunStatus.Completed;
        switch (by)
        {
            case RunGrouping.Study:
                return (await filtered.GroupBy(r => r.StudyId).Select(g => new { g.Key, Runs = g.Count(),
                        Completed = g.Count(r => r.Status == completed), Best = g.Max(r => r.TestNdcg10) }).ToListAsync(ct))
                    .OrderBy(g => g.Key ?? int.MaxValue).Select(g => new RunGroup(g.Key?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", g.Runs, g.Completed, g.Best)).ToList();
            case RunGrouping.Dataset:
                return (await filtered.GroupBy(r => r.DatasetId).Select(g => new { g.Key, Runs = g.Count(),
                        Completed = g.Count(r => r.Status == completed), Best = g.Max(r => r.TestNdcg10) }).ToListAsync(ct))
                    .OrderBy(g => g.Key).Select(g => new RunGroup(g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Runs, g.Completed, g.Best)).ToList();
            case RunGrouping.Model:
                return (await filtered.GroupBy(r => r.Model).Select(g => new { g.Key, Runs = g.Count(),
                        Completed = g.Count(r => r.Status == completed), Best = g.Max(r => r.TestNdcg10) }).ToListAsync(ct))
                    .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new RunGroup(g.Key, g.Runs, g.Completed, g.Best)).ToList();
            default:
                return (await filtered.GroupBy(r => r.Status).Select(g => new { g.Key, Runs = g.Count(),
                        Completed = g.Count(r => r.Status == completed), Best = g.Max(r => r.TestNdcg10) }).ToListAsync(ct))
                    .OrderBy(g => g.Key).Select(g => new RunGroup(g.Key.ToString().ToLowerInvariant(), g.Runs, g.Completed, g.Best)).ToList();
        }
    }

    /// <summary>Every study with its runs counted by status (one GROUP BY over the runs, not the runs themselves).</summary>
    public async Task<IReadOnlyList<StudySummary>> StudySummariesAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var studies = await db.Studies.AsNoTracking().OrderByDescending(s => s.Id).ToListAsync(ct);
        var counts = await db.Runs.AsNoTracking().Where(r => r.StudyId != null)
            .GroupBy(r => new { r.StudyId, r.Status })
            .Select(g => new { g.Key.StudyId, g.Key.Status, Count = g.Count(), Best = g.Max(r => r.TestNdcg10),
                Planned = g.Sum(r => r.Epochs), Untrained = g.Sum(r => r.Epochs - r.EpochsDone) }).ToListAsync(ct);
        var byStudy = counts.ToLookup(c => c.StudyId!.Value);
        return studies.ConvertAll(s =>
        {
            var mine = byStudy[s.Id].ToList();
            int Count(RunStatus status) => mine.Where(c => c.Status == status).Sum(c => c.Count);
            return new StudySummary(s.Id, s.Name, s.DatasetId, s.CreatedUtc, s.Tags, Count(RunStatus.Queued), Count(RunStatus.Running),
                Count(RunStatus.Completed), Count(RunStatus.Failed), Count(RunStatus.Cancelled), mine.Max(c => c.Best),
                Count(RunStatus.StoppedEarly), mine.Sum(c => c.Planned),
                mine.Where(c => c.Status == RunStatus.StoppedEarly).Sum(c => c.Untrained));
        });
    }

    public async Task<StudyRecord?> FindStudyAsync(string name, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Studies.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
    }

    private static IQueryable<RunRecord> Filter(IQueryable<RunRecord> runs, RunQuery query)
    {
        if (query.StudyId is { } study) runs = runs.Where(r => r.StudyId == study);
        if (query.Status is { } status) runs = runs.Where(r => r.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            var model = query.Model.Trim().ToLowerInvariant();
            runs = runs.Where(r => r.Model == model);
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            // LIKE is case-insensitive for ASCII in SQLite; the user's % and _ are matched literally.
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                runs = runs.Where(r => r.Id == id || EF.Functions.Like(r.Name, pattern, "\\") || EF.Functions.Like(r.Tags, pattern, "\\")
                                       || EF.Functions.Like(r.Host!, pattern, "\\"));
            else
                runs = runs.Where(r => EF.Functions.Like(r.Name, pattern, "\\") || EF.Functions.Like(r.Tags, pattern, "\\")
                                       || EF.Functions.Like(r.Host!, pattern, "\\"));
        }
        return runs;
    }

    /// <summary>The sort, then the id (newest first) so equal keys keep a stable order across pages.</summary>
    /// <param name="postgres">PostgreSQL puts NULLs first when descending: there runs without the metric are put last explicitly.</param>
    private static IQueryable<RunRecord> Sorted(IQueryable<RunRecord> runs, RunSort sort, bool descending, bool postgres)
    {
        if (sort == RunSort.Id) return descending ? runs.OrderByDescending(r => r.Id) : runs.OrderBy(r => r.Id);
        IOrderedQueryable<RunRecord> ordered = sort switch
        {
            RunSort.Name => descending ? runs.OrderByDescending(r => r.Name) : runs.OrderBy(r => r.Name),
            RunSort.Status => descending ? runs.OrderByDescending(r => r.Status) : runs.OrderBy(r => r.Status),
            RunSort.Model => descending ? runs.OrderByDescending(r => r.Model) : runs.OrderBy(r => r.Model),
            RunSort.Layers => descending ? runs.OrderByDescending(r => r.Layers) : runs.OrderBy(r => r.Layers),
            RunSort.Dim => descending ? runs.OrderByDescending(r => r.Dim) : runs.OrderBy(r => r.Dim),
            RunSort.MaxLength => descending ? runs.OrderByDescending(r => r.MaxLength) : runs.OrderBy(r => r.MaxLength),
            RunSort.Parameters => descending ? runs.OrderByDescending(r => r.NonEmbeddingParameters) : runs.OrderBy(r => r.NonEmbeddingParameters),
            // Best first reads the index backwards (SQLite puts NULLs last when descending); ascending puts runs without the
            // metric yet after the others too.
            RunSort.Loss when descending && postgres => runs.OrderBy(r => r.LastLoss == null).ThenByDescending(r => r.LastLoss),
            RunSort.Hr10 when descending && postgres => runs.OrderBy(r => r.TestHr10 == null).ThenByDescending(r => r.TestHr10),
            RunSort.Ndcg10 when descending && postgres => runs.OrderBy(r => r.TestNdcg10 == null).ThenByDescending(r => r.TestNdcg10),
            RunSort.Loss => descending ? runs.OrderByDescending(r => r.LastLoss) : runs.OrderBy(r => r.LastLoss == null).ThenBy(r => r.LastLoss),
            RunSort.Hr10 => descending ? runs.OrderByDescending(r => r.TestHr10) : runs.OrderBy(r => r.TestHr10 == null).ThenBy(r => r.TestHr10),
            RunSort.Ndcg10 => descending ? runs.OrderByDescending(r => r.TestNdcg10) : runs.OrderBy(r => r.TestNdcg10 == null).ThenBy(r => r.TestNdcg10),
            _ => descending ? runs.OrderByDescending(r => r.CreatedUtc) : runs.OrderBy(r => r.CreatedUtc),
        };
        return ordered.ThenByDescending(r => r.Id);
    }

    private static EvalProtocol EvalOf(string optionsJson)
    {
        try
        {
            return RegistryJson.Deserialize<EvalOnly>(optionsJson).Eval;
        }
        catch (System.Text.Json.JsonException)
        {
            return new RunOptions().Eval;
        }
    }

    private sealed record EvalOnly(EvalProtocol Eval = EvalProtocol.Sampled100);

    // Options stored before the task option existed have none: retrieval.
    private static RunTask TaskOf(string optionsJson)
    {
        try
        {
            return RegistryJson.Deserialize<TaskOnly>(optionsJson).Task;
        }
        catch (System.Text.Json.JsonException)
        {
            return RunTask.Retrieval;
        }
    }

    private sealed record TaskOnly(RunTask Task = RunTask.Retrieval);

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

    /// <summary>A queued run is cancelled at once; a running one is asked to stop (its worker checkpoints and marks it).
    /// Conditional on the run's version: when a worker claims the run between the read and the write, the cancel reads it
    /// again and asks the worker instead of marking a training run cancelled.</summary>
    public async Task<RunStatus> CancelAsync(int id, CancellationToken ct = default)
    {
        var (run, saved) = await ChangeAsync(id, run =>
        {
            switch (run.Status)
            {
                case RunStatus.Queued:
                    run.Status = RunStatus.Cancelled;
                    run.FinishedUtc = DateTime.UtcNow;
                    return true;
                case RunStatus.Running when !run.CancelRequested:
                    run.CancelRequested = true;
                    return true;
                default:
                    return false;
            }
        }, ct);
        if (!saved) return run.Status;
        await LogAsync(id, run.Status == RunStatus.Cancelled ? "cancelled before it started" : "cancel requested", ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        return run.Status;
    }

    /// <summary>Puts a failed or cancelled run back in the queue; it resumes from its last checkpoint, keeping its history.</summary>
    public async Task RequeueAsync(int id, CancellationToken ct = default)
    {
        var (run, _) = await ChangeAsync(id, run =>
        {
            if (run.Status is not (RunStatus.Failed or RunStatus.Cancelled))
                throw new InvalidOperationException($"Run {id} is {run.Status.Label()}; only failed or cancelled runs can be re-queued.");
            run.Status = RunStatus.Queued;
            run.CancelRequested = false;
            run.Error = null;
            run.FinishedUtc = null;
            return true;
        }, ct);
        await LogAsync(id, "re-queued", ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
    }

    public async Task SetTagsAsync(int id, string tags, string? note, CancellationToken ct = default)
    {
        var (run, _) = await ChangeAsync(id, run =>
        {
            run.Tags = NormaliseTags(tags);
            run.Note = note;
            return true;
        }, ct);
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

    /// <summary>Takes the oldest queued run for <paramref name="host"/> under a lease of <see cref="RunHolder.DefaultLease"/>.</summary>
    public Task<RunRecord?> ClaimNextAsync(string host, CancellationToken ct = default) =>
        ClaimNextAsync(new RunHolder(host, host, RunHolder.DefaultLease), ct);

    /// <summary>
    /// Takes the oldest queued run for <paramref name="holder"/> and gives it the lease, in one statement: UPDATE … RETURNING
    /// on SQLite (the database file's write lock orders claims), with FOR UPDATE SKIP LOCKED on PostgreSQL (concurrent
    /// claims each skip the rows the others have locked). Two workers never take the same run.
    /// </summary>
    public async Task<RunRecord?> ClaimNextAsync(RunHolder holder, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var claimed = await RunClaims.ClaimAsync(db, holder, DateTime.UtcNow, ct);
        if (claimed is not { } id) return null;
        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == id, ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        return run;
    }

    /// <summary>Renews <paramref name="holder"/>'s lease on a run; false when it no longer holds it (its lease expired and the
    /// run was re-queued, taken by another worker, or finished), so the worker must stop training it.</summary>
    public async Task<bool> HeartbeatAsync(int id, RunHolder holder, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var expires = now + holder.Lease;
        var running = RunStatus.Running;
        return await db.Runs.Where(r => r.Id == id && r.Status == running && r.WorkerId == holder.WorkerId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatUtc, now).SetProperty(r => r.LeaseExpiresUtc, expires)
                .SetProperty(r => r.Version, r => r.Version + 1), ct) == 1;
    }

    /// <summary>Ends <paramref name="holder"/>'s lease at once, leaving the run "running": the next worker to look (this
    /// process at its next start, or any other) re-queues it to resume from its checkpoint. For a graceful shutdown.</summary>
    public async Task<bool> ReleaseAsync(int id, RunHolder holder, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = DateTime.UtcNow;
        var running = RunStatus.Running;
        return await db.Runs.Where(r => r.Id == id && r.Status == running && r.WorkerId == holder.WorkerId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresUtc, now).SetProperty(r => r.Version, r => r.Version + 1), ct) == 1;
    }

    /// <summary>Runs whose worker's lease has expired go back to the queue; they resume from their last checkpoint.</summary>
    public Task<IReadOnlyList<int>> RecoverAbandonedAsync(CancellationToken ct = default) => RecoverAbandonedAsync(DateTime.UtcNow, ct);

    /// <summary>
    /// Runs "running" whose lease ended before <paramref name="asOf"/> (or that have none: left by a release before leases) go
    /// back to the queue, or are cancelled when a cancel was asked for. A run whose worker is alive keeps its lease and is left
    /// alone. Each change is conditional on the run's version, so two workers recovering at once re-queue a run once.
    /// </summary>
    public async Task<IReadOnlyList<int>> RecoverAbandonedAsync(DateTime asOf, CancellationToken ct = default)
    {
        List<int> expired;
        var running = RunStatus.Running;
        await using (var db = await factory.CreateDbContextAsync(ct))
            expired = await db.Runs.Where(r => r.Status == running && (r.LeaseExpiresUtc == null || r.LeaseExpiresUtc < asOf))
                .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        var recovered = new List<int>();
        foreach (var id in expired)
        {
            string? lastHolder = null;
            DateTime? endedUtc = null;
            var (run, saved) = await ChangeAsync(id, r =>
            {
                if (r.Status != RunStatus.Running || r.LeaseExpiresUtc >= asOf) return false;
                (lastHolder, endedUtc) = (r.WorkerId ?? r.Host, r.LeaseExpiresUtc);
                r.Status = r.CancelRequested ? RunStatus.Cancelled : RunStatus.Queued;
                if (r.Status == RunStatus.Cancelled) r.FinishedUtc = DateTime.UtcNow;
                r.LeaseExpiresUtc = null;
                return true;
            }, ct, missingIsNull: true);
            if (!saved) continue;
            var ended = endedUtc is { } e ? $"its lease ended {e:yyyy-MM-dd HH:mm:ss} UTC" : "it had no lease";
            await LogAsync(id, run.Status == RunStatus.Queued
                ? $"found running with no live worker (last holder {lastHolder}; {ended}); re-queued to resume from its checkpoint"
                : $"found running with no live worker (last holder {lastHolder}; {ended}) and a cancel request; cancelled", ct);
            feed.Publish(new RunChanged(RunSummary.Of(run)));
            recovered.Add(id);
        }
        return recovered;
    }

    /// <summary>Any change to a run, whoever holds it (tests, seeding, administration). Conditional on the run's version: on a
    /// conflicting change in between it reads the run again and applies <paramref name="change"/> again.</summary>
    public async Task<RunRecord> UpdateAsync(int id, Action<RunRecord> change, CancellationToken ct = default)
    {
        var (run, _) = await ChangeAsync(id, r => { change(r); return true; }, ct);
        feed.Publish(new RunChanged(RunSummary.Of(run)));
        return run;
    }

    /// <summary>
    /// A change by the worker training the run (progress, the final state): saved only while <paramref name="holder"/> still
    /// holds the run (running, its worker id). False when it does not: the lease was lost, and the worker must stop and write
    /// nothing more.
    /// </summary>
    public async Task<bool> UpdateHeldAsync(int id, RunHolder holder, Action<RunRecord> change, CancellationToken ct = default)
    {
        var (run, saved) = await ChangeAsync(id, r =>
        {
            if (r.Status != RunStatus.Running || r.WorkerId != holder.WorkerId) return false;
            change(r);
            return true;
        }, ct, missingIsNull: true);
        if (saved) feed.Publish(new RunChanged(RunSummary.Of(run)));
        return saved;
    }

    public async Task<bool> IsCancelRequestedAsync(int id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Runs.Where(r => r.Id == id).Select(r => r.CancelRequested).FirstOrDefaultAsync(ct);
    }

    /// <summary>A conflicting change between read and save is a race lost, not an error: it is retried this many times.</summary>
    private const int ChangeAttempts = 100;

    /// <summary>
    /// Reads the run, lets <paramref name="change"/> decide and change it (false: nothing to save), and saves it only where
    /// nobody changed the row since the read (<see cref="RunRecord.Version"/>); after a conflict it reads and decides again.
    /// </summary>
    /// <param name="missingIsNull">A run that is gone (or on a deleted dataset) is "not saved" rather than an error.</param>
    private async Task<(RunRecord Run, bool Saved)> ChangeAsync(int id, Func<RunRecord, bool> change, CancellationToken ct,
        bool missingIsNull = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == id, ct);
            if (run is null)
            {
                if (missingIsNull) return (new RunRecord { Name = "", OptionsJson = "{}", Model = "", Precision = "", Id = id }, false);
                throw new KeyNotFoundException($"Run {id} does not exist.");
            }
            if (!change(run)) return (run, false);
            try
            {
                await db.SaveChangesAsync(ct);
                return (run, true);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ChangeAttempts)
            {
                logger.LogDebug("Run {RunId} changed while it was being changed; reading it again (attempt {Attempt})", id, attempt);
            }
        }
    }

    /// <summary>The options' problems, then (when they are valid) whether the run fits in this machine's memory: a run
    /// that cannot is refused here rather than queued to fail (or take the machine down) when a worker starts it.</summary>
    private static IReadOnlyList<string> Check(RunOptions options, int items)
    {
        var problems = options.Validate(items);
        if (problems.Count > 0) return problems;
        return MemoryEstimate.Problem(options, items) is { } memory ? [memory] : [];
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
