using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>
/// Writes metric points in batches (one transaction, one prepared statement) and reads them back downsampled.
/// An upsert on the (run, split, name, step) key makes a resumed run's re-done steps overwrite, never duplicate. The SQL is
/// the same on SQLite and PostgreSQL (quoted identifiers, @ parameters, INSERT … ON CONFLICT DO UPDATE).
/// </summary>
public sealed class MetricStore(IDbContextFactory<RegistryDbContext> factory)
{
    /// <summary>One point's upsert: a re-done step overwrites its earlier record.</summary>
    internal const string UpsertPointSql = """
        INSERT INTO "MetricPoints" ("RunId", "Split", "Name", "Step", "Epoch", "Value", "TimeUnixMs")
        VALUES (@run, @split, @name, @step, @epoch, @value, @time)
        ON CONFLICT ("RunId", "Split", "Name", "Step")
        DO UPDATE SET "Epoch" = excluded."Epoch", "Value" = excluded."Value", "TimeUnixMs" = excluded."TimeUnixMs"
        """;

    /// <summary>
    /// The writer a training worker stores a run's flushes with: points, log lines and progress in one transaction each,
    /// conditional on <paramref name="workerId"/> still holding the run (<see cref="RunProgressWriter"/>). Keeps a connection
    /// open until disposed.
    /// </summary>
    public RunProgressWriter OpenWriter(int runId, string workerId) => new(factory, runId, workerId);

    public async Task AppendAsync(int runId, IReadOnlyList<MetricPoint> points, CancellationToken ct = default)
    {
        if (points.Count == 0) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = UpsertPointSql;
        var run = command.AddParameter("@run", DbType.Int32);
        var split = command.AddParameter("@split", DbType.String);
        var name = command.AddParameter("@name", DbType.String);
        var step = command.AddParameter("@step", DbType.Int64);
        var epoch = command.AddParameter("@epoch", DbType.Int32);
        var value = command.AddParameter("@value", DbType.Double);
        var time = command.AddParameter("@time", DbType.Int64);
        await command.PrepareAsync(ct);
        run.Value = runId;
        foreach (var p in points)
        {
            split.Value = p.Split;
            name.Value = p.Name;
            step.Value = p.Step;
            epoch.Value = p.Epoch;
            value.Value = double.IsFinite(p.Value) ? p.Value : DBNull.Value;
            time.Value = p.TimeUnixMs;
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private static void Set(DbCommand command, string name, object value) => command.AddParameter(name, value switch
    {
        int => DbType.Int32,
        long => DbType.Int64,
        _ => DbType.String,
    }).Value = value;

    /// <summary>
    /// Run <c>@run</c> is on a dataset that is not deleted (the raw SQL here bypasses the context's query filters; one
    /// primary-key lookup per statement, not per point).
    /// </summary>
    private const string RunVisible =
        "EXISTS (SELECT 1 FROM \"Runs\" r JOIN \"Datasets\" d ON d.\"Id\" = r.\"DatasetId\" WHERE r.\"Id\" = @run AND d.\"DeletedUtc\" IS NULL)";

    /// <summary>The (split, name) series a run has, e.g. ("train", "loss"), ("test", "NDCG@10").</summary>
    public async Task<IReadOnlyList<(string Split, string Name)>> SeriesNamesAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.MetricPoints.AsNoTracking().Where(p => p.RunId == runId && db.Runs.Any(r => r.Id == runId))
            .Select(p => new { p.Split, p.Name }).Distinct().ToListAsync(ct);
        return rows.Select(r => (r.Split, r.Name)).OrderBy(r => r.Split).ThenBy(r => r.Name).ToList();
    }

    /// <summary>
    /// A series in step order. Longer than <paramref name="maxPoints"/>, it is averaged over equal step buckets in SQL, so a
    /// run with a million steps costs the page a few thousand points.
    /// </summary>
    public async Task<IReadOnlyList<MetricPoint>> SeriesAsync(int runId, string split, string name, int maxPoints = 2000,
        CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        Set(command, "@run", runId);
        Set(command, "@split", split);
        Set(command, "@name", name);
        const string Series = "FROM \"MetricPoints\" WHERE \"RunId\" = @run AND \"Split\" = @split AND \"Name\" = @name";
        command.CommandText = $"SELECT COUNT(*), MIN(\"Step\"), MAX(\"Step\") {Series} AND {RunVisible}";
        long count, first, last;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            count = reader.GetInt64(0);
            if (count == 0) return [];
            first = reader.GetInt64(1);
            last = reader.GetInt64(2);
        }
        if (count <= maxPoints)
        {
            command.CommandText = $"SELECT \"Step\", \"Epoch\", \"Value\", \"TimeUnixMs\" {Series} ORDER BY \"Step\"";
        }
        else
        {
            var bucket = Math.Max(1, (last - first + 1 + maxPoints - 1) / maxPoints);
            Set(command, "@first", first);
            Set(command, "@bucket", bucket);
            command.CommandText = $"SELECT MAX(\"Step\"), MAX(\"Epoch\"), AVG(\"Value\"), MAX(\"TimeUnixMs\") {Series} " +
                                  "GROUP BY (\"Step\" - @first) / @bucket ORDER BY 1";
        }
        var points = new List<MetricPoint>((int)Math.Min(count, maxPoints));
        await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct))
            while (await reader.ReadAsync(ct))
                points.Add(new MetricPoint(split, name, reader.GetInt64(0), reader.GetInt32(1),
                    reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2), reader.GetInt64(3)));
        return points;
    }

    /// <summary>Every point of the given runs, run by run in key order, read as it streams (for exports).</summary>
    public async IAsyncEnumerable<(int RunId, MetricPoint Point)> StreamAsync(IReadOnlyList<int> runIds,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        foreach (var runId in runIds)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT \"Split\", \"Name\", \"Step\", \"Epoch\", \"Value\", \"TimeUnixMs\" FROM \"MetricPoints\" " +
                                  $"WHERE \"RunId\" = @run AND {RunVisible} ORDER BY \"Split\", \"Name\", \"Step\"";
            Set(command, "@run", runId);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
                yield return (runId, new MetricPoint(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4), reader.GetInt64(5)));
        }
    }
}
