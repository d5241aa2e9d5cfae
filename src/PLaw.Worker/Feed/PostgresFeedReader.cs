using PLaw.Registry;
using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Feed;

/// <summary>
/// Reads what other processes wrote for the runs a notification named (or for every active run, after a reconnect and on
/// the slow fallback poll), each run in one REPEATABLE READ snapshot: the run's row, its points above its series' step
/// watermarks, its new log lines. Identity ids can commit out of order across transactions on PostgreSQL, so nothing here
/// trusts a global id watermark: points are cut per series by step (one sink writes a run's series in step order), log lines
/// per run by the ids already sent.
/// </summary>
internal sealed class PostgresFeedReader(IDbContextFactory<RegistryDbContext> factory, FeedState state)
{
    /// <summary>The newest log line id when the previous read began: a run first seen now has its new lines above it.</summary>
    private long eventCursor;

    /// <summary>Everything stored now is history.</summary>
    public async Task BaselineAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        eventCursor = await NewestEventAsync(db, ct);
        foreach (var run in await ActiveRuns(db, []).ToListAsync(ct))
        {
            var marks = await MaximaAsync(db, run.Id, ct);
            lock (state.Gate)
            {
                var watched = state.Get(run.Id, out _);
                (watched.Version, watched.Status, watched.Marks, watched.EventsAfter) = (run.Version, run.Status, marks, eventCursor);
                watched.Summary ??= RunSummary.Of(run);
            }
        }
        await transaction.CommitAsync(ct);
    }

    /// <param name="runIds">The runs a notification named; null: every active run and every run watched lately.</param>
    public async Task ReadAsync(IReadOnlyCollection<int>? runIds, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var cursor = await NewestEventAsync(db, ct);
        var ids = runIds?.ToArray() ?? [];
        var runs = await (runIds is null ? ActiveRuns(db, [.. state.Watched]) : db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)))
            .OrderBy(r => r.Id).ToListAsync(ct);
        var now = DateTime.UtcNow;
        foreach (var run in runs)
        {
            WatchedRun watched;
            bool takeBaseline, isNew;
            lock (state.Gate)
            {
                watched = state.Get(run.Id, out isNew);
                if (isNew) watched.EventsAfter = eventCursor;
                // A queued run has no writer: what it has is history. A run first seen training is new from its first point,
                // unless it was trained before (a resumed run), whose stored points are history.
                takeBaseline = (run.Status == RunStatus.Queued && watched.Status != RunStatus.Queued)
                               || (watched.Marks is null && (run.Attempts > 1 || run.Status != RunStatus.Running));
                if (watched.Marks is null && !takeBaseline) watched.Marks = [];
            }
            if (takeBaseline)
            {
                var marks = await MaximaAsync(db, run.Id, ct);
                lock (state.Gate) watched.Marks = marks;
            }
            // Points of a run this process's worker holds were published in-process (and raised the marks there).
            else if (run.Host != state.LocalHost)
            {
                var points = await NewPointsAsync(db, run.Id, watched, ct);
                if (points.Count > 0) state.Publish(new MetricsAppended(run.Id, points));
            }
            var after = watched.EventsAfter;
            var id = run.Id;
            foreach (var line in await db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.Id > after).OrderBy(e => e.Id).ToListAsync(ct))
            {
                bool fresh;
                lock (state.Gate) fresh = watched.EventsPublished.Add(line.Id);
                if (fresh && !state.PublishedLocally(line.RunId, line.TimeUtc, line.Text))
                    state.Publish(new RunLogged(line.RunId, line.TimeUtc, line.Text));
            }
            if (state.Observe(run, now) is { } changed) state.Publish(changed);
        }
        await transaction.CommitAsync(ct);
        eventCursor = Math.Max(eventCursor, cursor);
        if (runIds is null) state.ForgetFinished(now, TimeSpan.FromMinutes(1));
    }

    private static IQueryable<RunRecord> ActiveRuns(RegistryDbContext db, int[] also) => db.Runs.AsNoTracking()
        .Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running || also.Contains(r.Id));

    /// <summary>
    /// The run's points above its marks, in the order they were reported. The run's series are found by a loose index scan
    /// (one primary-key probe per series), and each series is read from its mark on: index range reads, however long the run.
    /// </summary>
    private async Task<List<MetricPoint>> NewPointsAsync(RegistryDbContext db, int runId, WatchedRun watched, CancellationToken ct)
    {
        string marks;
        lock (state.Gate) marks = JsonSerializer.Serialize(watched.Marks!.Select(m => new Mark(m.Key.Split, m.Key.Name, m.Value)));
        await using var command = Command(db, """
            WITH RECURSIVE series AS (
                (SELECT "Split", "Name" FROM "MetricPoints" WHERE "RunId" = @run ORDER BY "Split", "Name" LIMIT 1)
                UNION ALL
                SELECT n."Split", n."Name" FROM series s CROSS JOIN LATERAL (
                    SELECT m."Split", m."Name" FROM "MetricPoints" m
                    WHERE m."RunId" = @run AND (m."Split", m."Name") > (s."Split", s."Name")
                    ORDER BY m."Split", m."Name" LIMIT 1) n
            ), marks AS (SELECT * FROM json_to_recordset(@marks::json) AS w("s" text, "n" text, "t" bigint))
            SELECT p."Split", p."Name", p."Step", p."Epoch", p."Value", p."TimeUnixMs"
            FROM series s
            LEFT JOIN marks w ON w."s" = s."Split" AND w."n" = s."Name"
            CROSS JOIN LATERAL (
                SELECT * FROM "MetricPoints" q
                WHERE q."RunId" = @run AND q."Split" = s."Split" AND q."Name" = s."Name" AND q."Step" > COALESCE(w."t", -9223372036854775808)) p
            ORDER BY p."TimeUnixMs", p."Step", p."Split", p."Name"
            """);
        command.Parameters.Add(new NpgsqlParameter<int>("run", runId));
        command.Parameters.Add(new NpgsqlParameter<string>("marks", marks));
        var points = new List<MetricPoint>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                points.Add(new MetricPoint(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4), reader.GetInt64(5)));
        lock (state.Gate)
            foreach (var p in points)
                if (!watched.Marks!.TryGetValue((p.Split, p.Name), out var step) || p.Step > step) watched.Marks[(p.Split, p.Name)] = p.Step;
        return points;
    }

    private sealed record Mark(string s, string n, long t);

    /// <summary>The run's highest step per series.</summary>
    private static async Task<Dictionary<(string Split, string Name), long>> MaximaAsync(RegistryDbContext db, int runId, CancellationToken ct)
    {
        await using var command = Command(db, "SELECT \"Split\", \"Name\", MAX(\"Step\") FROM \"MetricPoints\" WHERE \"RunId\" = @run GROUP BY \"Split\", \"Name\"");
        command.Parameters.Add(new NpgsqlParameter<int>("run", runId));
        var marks = new Dictionary<(string, string), long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) marks[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        return marks;
    }

    private static async Task<long> NewestEventAsync(RegistryDbContext db, CancellationToken ct)
    {
        await using var command = Command(db, "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"RunEvents\"");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(RegistryDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }
}
