using PLaw.Registry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Feed;

/// <summary>
/// The feed from a SQLite registry: each poll reads, in one read transaction (a snapshot, which never blocks a writer), the
/// metric points and log lines added since the last poll and the rows of active runs whose version moved. SQLite has one writer
/// at a time, so row ids are handed out in commit order: a watermark on the points' rowid and one on the log's id miss nothing.
/// An upsert that overwrites a re-done step keeps its rowid, so it is not sent again.
/// </summary>
internal sealed class SqliteFeedPoller(IDbContextFactory<RegistryDbContext> factory, FeedState state)
{
    /// <summary>The most points one poll reads; the rest come with the next.</summary>
    private const int MaxPointsPerPoll = 50_000;

    private long pointRow = -1;
    private long eventId = -1;

    /// <summary>Everything stored now is history: only what comes after it is sent.</summary>
    public async Task BaselineAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await BeginSnapshotAsync(db, ct);
        pointRow = await ScalarAsync(db, "SELECT COALESCE(MAX(rowid), 0) FROM \"MetricPoints\"", ct);
        eventId = await ScalarAsync(db, "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"RunEvents\"", ct);
        var active = await ActiveRuns(db, []).ToListAsync(ct);
        lock (state.Gate)
            foreach (var run in active)
            {
                var watched = state.Get(run.Id, out _);
                (watched.Version, watched.Status) = (run.Version, run.Status);
                watched.Summary ??= RunSummary.Of(run);
            }
    }

    public async Task PollAsync(CancellationToken ct)
    {
        var points = new Dictionary<int, List<MetricPoint>>();
        List<RunEventRecord> lines;
        List<RunRecord> runs;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await using var transaction = await BeginSnapshotAsync(db, ct);
            // Rowids are reused only when the newest rows were deleted (a run deleted right after it wrote): start below them.
            var newest = await ScalarAsync(db, "SELECT COALESCE(MAX(rowid), 0) FROM \"MetricPoints\"", ct);
            if (newest < pointRow) pointRow = newest;
            await using (var command = Command(db))
            {
                command.CommandText = "SELECT rowid, \"RunId\", \"Split\", \"Name\", \"Step\", \"Epoch\", \"Value\", \"TimeUnixMs\" " +
                                      $"FROM \"MetricPoints\" WHERE rowid > @after ORDER BY rowid LIMIT {MaxPointsPerPoll}";
                command.Parameters.Add(new SqliteParameter("@after", pointRow));
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    pointRow = reader.GetInt64(0);
                    var runId = reader.GetInt32(1);
                    if (!points.TryGetValue(runId, out var list)) points[runId] = list = [];
                    list.Add(new MetricPoint(reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt32(5),
                        reader.IsDBNull(6) ? double.NaN : reader.GetDouble(6), reader.GetInt64(7)));
                }
            }
            var after = eventId;
            lines = await db.RunEvents.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).ToListAsync(ct);
            if (lines.Count > 0) eventId = lines[^1].Id;
            // The rows of active runs (and of runs seen lately, to catch their end), and of runs that wrote points: who wrote them.
            int[] also = [.. state.Watched, .. points.Keys];
            runs = await ActiveRuns(db, also).ToListAsync(ct);
        }
        var byId = runs.ToDictionary(r => r.Id);
        var now = DateTime.UtcNow;
        foreach (var id in byId.Keys.Union(lines.Select(l => l.RunId)).Order())
        {
            byId.TryGetValue(id, out var run);
            // Points of a run this process trains went out in-process already; points of a run not found are a deleted dataset's.
            if (run is not null && run.Host != state.LocalHost && points.TryGetValue(id, out var batch))
                state.Publish(new MetricsAppended(id, batch));
            foreach (var line in lines.Where(l => l.RunId == id))
                if (!state.PublishedLocally(id, line.TimeUtc, line.Text))
                    state.Publish(new RunLogged(id, line.TimeUtc, line.Text));
            if (run is not null && state.Observe(run, now) is { } changed) state.Publish(changed);
        }
    }

    private IQueryable<RunRecord> ActiveRuns(RegistryDbContext db, int[] also) => db.Runs.AsNoTracking()
        .Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running || also.Contains(r.Id));

    private static System.Data.Common.DbCommand Command(RegistryDbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>A deferred transaction: a read snapshot that takes no write lock (EF's own would begin IMMEDIATE).</summary>
    private static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginSnapshotAsync(RegistryDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        return (await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), ct))!;
    }

    private static async Task<long> ScalarAsync(RegistryDbContext db, string sql, CancellationToken ct)
    {
        await using var command = Command(db);
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
