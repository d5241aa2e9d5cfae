using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>
/// Writes metric points in batches (one transaction, one prepared statement) and reads them back downsampled.
/// INSERT OR REPLACE on the (run, split, name, step) key makes a resumed run's re-done steps overwrite, never duplicate.
/// </summary>
public sealed class MetricStore(IDbContextFactory<RegistryDbContext> factory)
{
    public async Task AppendAsync(int runId, IReadOnlyList<MetricPoint> points, CancellationToken ct = default)
    {
        if (points.Count == 0) return;
        await using var db = await factory.CreateDbContextAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await SqlitePragmas.ApplyAsync(connection, ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO MetricPoints (RunId, Split, Name, Step, Epoch, Value, TimeUnixMs) " +
                              "VALUES ($run, $split, $name, $step, $epoch, $value, $time)";
        var run = command.Parameters.Add("$run", SqliteType.Integer);
        var split = command.Parameters.Add("$split", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var step = command.Parameters.Add("$step", SqliteType.Integer);
        var epoch = command.Parameters.Add("$epoch", SqliteType.Integer);
        var value = command.Parameters.Add("$value", SqliteType.Real);
        var time = command.Parameters.Add("$time", SqliteType.Integer);
        command.Prepare();
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

    /// <summary>
    /// Run <c>$run</c> is on a dataset that is not deleted (the raw SQL here bypasses the context's query filters; one
    /// primary-key lookup per statement, not per point).
    /// </summary>
    private const string RunVisible =
        "EXISTS (SELECT 1 FROM Runs r JOIN Datasets d ON d.Id = r.DatasetId WHERE r.Id = $run AND d.DeletedUtc IS NULL)";

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
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$split", split);
        command.Parameters.AddWithValue("$name", name);
        command.CommandText = "SELECT COUNT(*), MIN(Step), MAX(Step) FROM MetricPoints WHERE RunId = $run AND Split = $split AND Name = $name " +
                              "AND " + RunVisible;
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
            command.CommandText = "SELECT Step, Epoch, Value, TimeUnixMs FROM MetricPoints " +
                                  "WHERE RunId = $run AND Split = $split AND Name = $name ORDER BY Step";
        }
        else
        {
            var bucket = Math.Max(1, (last - first + 1 + maxPoints - 1) / maxPoints);
            command.Parameters.AddWithValue("$first", first);
            command.Parameters.AddWithValue("$bucket", bucket);
            command.CommandText = "SELECT MAX(Step), MAX(Epoch), AVG(Value), MAX(TimeUnixMs) FROM MetricPoints " +
                                  "WHERE RunId = $run AND Split = $split AND Name = $name GROUP BY (Step - $first) / $bucket ORDER BY 1";
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
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        foreach (var runId in runIds)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Split, Name, Step, Epoch, Value, TimeUnixMs FROM MetricPoints WHERE RunId = $run " +
                                  "AND " + RunVisible + " ORDER BY Split, Name, Step";
            command.Parameters.AddWithValue("$run", runId);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            while (await reader.ReadAsync(ct))
                yield return (runId, new MetricPoint(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4), reader.GetInt64(5)));
        }
    }
}
