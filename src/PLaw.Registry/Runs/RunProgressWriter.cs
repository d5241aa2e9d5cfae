using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

/// <summary>
/// The training worker's writer for one run (<see cref="MetricStore.OpenWriter"/>). Each <see cref="Write"/> stores a flush
/// (<see cref="RunProgressUpdate"/>: new points, new log lines, the run's progress) in one transaction, on one connection kept open
/// for the run, through statements prepared once.
/// The transaction starts with the run's row, changed only where this worker still holds it: running, under its worker id,
/// on a dataset that is not deleted (what <see cref="RunCatalog.UpdateHeldAsync"/> checks), with <see cref="RunRecord.Version"/>
/// bumped as every change does, so a change read before it saves nothing over it. A row that does not match (the lease
/// was lost) rolls the whole flush back: a worker that lost the run writes nothing.
/// Synchronous on purpose: it runs on the metric sink's own thread, never on the thread pool the trainer's awaits use.
/// </summary>
public sealed class RunProgressWriter : IDisposable
{
    private const int MaxLineLength = 4000;

    private readonly RegistryDbContext db;
    private readonly DbConnection connection;
    private readonly bool postgres;
    private readonly RunUpdate run;
    private readonly DbCommand lineInsert;
    private readonly DbParameter lineTime, lineText;
    private readonly SqlitePoints? sqlitePoints;
    private readonly PostgresPoints? postgresPoints;

    internal RunProgressWriter(IDbContextFactory<RegistryDbContext> factory, int runId, string workerId)
    {
        db = factory.CreateDbContext();
        try
        {
            postgres = RegistryConnection.IsPostgres(db.Database);
            // Through the context, so the provider's per-connection settings (SqlitePragmas) apply.
            db.Database.OpenConnection();
            connection = db.Database.GetDbConnection();
            run = new RunUpdate(connection, runId, workerId);
            lineInsert = connection.CreateCommand();
            lineInsert.CommandText = """INSERT INTO "RunEvents" ("RunId", "TimeUtc", "Text") VALUES (@run, @time, @text)""";
            lineInsert.AddParameter("@run", DbType.Int32).Value = runId;
            // PostgreSQL stores the time as timestamp with time zone (a UTC DateTime); SQLite as EF's text.
            lineTime = postgres
                ? lineInsert.AddParameter(new NpgsqlParameter("@time", NpgsqlDbType.TimestampTz))
                : lineInsert.AddParameter("@time", DbType.DateTime);
            lineText = lineInsert.AddParameter("@text", DbType.String);
            lineInsert.Prepare();
            if (postgres) postgresPoints = new PostgresPoints((NpgsqlConnection)connection, runId);
            else sqlitePoints = new SqlitePoints(connection, runId);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stores <paramref name="progress"/> in one transaction. Returns the run's row after the change, or null when this worker
    /// no longer holds the run, in which case nothing was written.
    /// </summary>
    public RunSummary? Write(RunProgressUpdate progress)
    {
        using var transaction = connection.BeginTransaction();
        var summary = run.Execute(transaction, progress);
        if (summary is null)
        {
            transaction.Rollback();
            return null;
        }
        if (progress.Points.Count > 0)
        {
            if (postgresPoints is not null) postgresPoints.Execute(transaction, progress.Points);
            else sqlitePoints!.Execute(transaction, progress.Points);
        }
        if (progress.Lines.Count > 0)
        {
            lineInsert.Transaction = transaction;
            foreach (var (time, text) in progress.Lines)
            {
                lineTime.Value = time;
                lineText.Value = Truncated(text);
                lineInsert.ExecuteNonQuery();
            }
        }
        transaction.Commit();
        return summary;
    }

    /// <summary>The text a log line is stored with (the column holds 4,000 characters).</summary>
    public static string Truncated(string text) => text.Length > MaxLineLength ? text[..MaxLineLength] : text;

    public void Dispose()
    {
        run.Dispose();
        lineInsert.Dispose();
        sqlitePoints?.Dispose();
        postgresPoints?.Dispose();
        db.Dispose();
    }

    /// <summary>The run's progress columns, conditional on the lease; RETURNING the columns of its <see cref="RunSummary"/>.
    /// The same statement on both providers (quoted identifiers, @ parameters, UPDATE … RETURNING).</summary>
    private sealed class RunUpdate : IDisposable
    {
        private readonly DbCommand command;
        private readonly DbParameter step, epoch, setLoss, loss, backend, device, compute, metrics, setTest, hr, ndcg;

        public RunUpdate(DbConnection connection, int runId, string workerId)
        {
            command = connection.CreateCommand();
            command.CommandText = """
                UPDATE "Runs" SET
                    "StepsDone" = COALESCE(@step, "StepsDone"),
                    "EpochsDone" = COALESCE(@epoch, "EpochsDone"),
                    "LastLoss" = CASE WHEN @setLoss THEN @loss ELSE "LastLoss" END,
                    "Backend" = COALESCE(@backend, "Backend"),
                    "Device" = COALESCE(@device, "Device"),
                    "Compute" = COALESCE(@compute, "Compute"),
                    "FinalMetricsJson" = COALESCE(@metrics, "FinalMetricsJson"),
                    "TestHr10" = CASE WHEN @setTest THEN @hr ELSE "TestHr10" END,
                    "TestNdcg10" = CASE WHEN @setTest THEN @ndcg ELSE "TestNdcg10" END,
                    "Version" = "Version" + 1
                WHERE "Id" = @run AND "Status" = 'Running' AND "WorkerId" = @worker
                  AND EXISTS (SELECT 1 FROM "Datasets" d WHERE d."Id" = "Runs"."DatasetId" AND d."DeletedUtc" IS NULL)
                RETURNING "Id", "Name", "StudyId", "DatasetId", "Model", "Layers", "Dim", "MaxLength", "Precision", "Seed", "Status",
                    "EpochsDone", "Epochs", "StepsDone", "LastLoss", "TestHr10", "TestNdcg10", "EmbeddingParameters",
                    "NonEmbeddingParameters", "CreatedUtc", "StartedUtc", "FinishedUtc", "Tags", "Error", "Host"
                """;
            command.AddParameter("@run", DbType.Int32).Value = runId;
            command.AddParameter("@worker", DbType.String).Value = workerId;
            step = command.AddParameter("@step", DbType.Int64);
            epoch = command.AddParameter("@epoch", DbType.Int32);
            setLoss = command.AddParameter("@setLoss", DbType.Boolean);
            loss = command.AddParameter("@loss", DbType.Double);
            backend = command.AddParameter("@backend", DbType.String);
            device = command.AddParameter("@device", DbType.String);
            compute = command.AddParameter("@compute", DbType.String);
            metrics = command.AddParameter("@metrics", DbType.String);
            setTest = command.AddParameter("@setTest", DbType.Boolean);
            hr = command.AddParameter("@hr", DbType.Double);
            ndcg = command.AddParameter("@ndcg", DbType.Double);
            command.Prepare();
        }

        public RunSummary? Execute(DbTransaction transaction, RunProgressUpdate progress)
        {
            command.Transaction = transaction;
            step.Value = progress.Step is { } s ? s : DBNull.Value;
            epoch.Value = progress.Epoch is { } e ? e : DBNull.Value;
            // A step's loss is stored with it; one that is not a number clears the column (the run diverged).
            setLoss.Value = progress.Step is not null && progress.Loss is not null;
            loss.Value = progress.Loss is { } l && double.IsFinite(l) ? l : DBNull.Value;
            backend.Value = (object?)progress.Session?.Backend ?? DBNull.Value;
            device.Value = (object?)progress.Session?.Device ?? DBNull.Value;
            compute.Value = (object?)progress.Session?.Compute ?? DBNull.Value;
            setTest.Value = progress.TestMetrics is not null;
            if (progress.TestMetrics is { } test)
            {
                // The same columns RunResults.SetTestMetrics fills for the EF path.
                var columns = new RunRecord { Name = "", OptionsJson = "", Model = "", Precision = "" };
                RunResults.SetTestMetrics(columns, test);
                metrics.Value = columns.FinalMetricsJson;
                hr.Value = columns.TestHr10 is { } h ? h : DBNull.Value;
                ndcg.Value = columns.TestNdcg10 is { } n ? n : DBNull.Value;
            }
            else
            {
                metrics.Value = DBNull.Value;
                hr.Value = DBNull.Value;
                ndcg.Value = DBNull.Value;
            }
            using var reader = command.ExecuteReader(CommandBehavior.SingleRow);
            if (!reader.Read()) return null;
            return new RunSummary(
                reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetInt32(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetString(8), reader.GetInt32(9),
                Enum.Parse<RunStatus>(reader.GetString(10)), reader.GetInt32(11), reader.GetInt32(12), reader.GetInt64(13),
                NullableDouble(reader, 14), NullableDouble(reader, 15), NullableDouble(reader, 16), reader.GetInt64(17), reader.GetInt64(18),
                reader.GetDateTime(19), NullableTime(reader, 20), NullableTime(reader, 21), reader.GetString(22),
                reader.IsDBNull(23) ? null : reader.GetString(23), reader.IsDBNull(24) ? null : reader.GetString(24));
        }

        private static double? NullableDouble(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);

        private static DateTime? NullableTime(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDateTime(i);

        public void Dispose() => command.Dispose();
    }

    /// <summary>SQLite: one prepared upsert executed per point (in-process, so a statement costs microseconds, no round trip).</summary>
    private sealed class SqlitePoints : IDisposable
    {
        private readonly DbCommand command;
        private readonly DbParameter split, name, step, epoch, value, time;

        public SqlitePoints(DbConnection connection, int runId)
        {
            command = connection.CreateCommand();
            command.CommandText = MetricStore.UpsertPointSql;
            command.AddParameter("@run", DbType.Int32).Value = runId;
            split = command.AddParameter("@split", DbType.String);
            name = command.AddParameter("@name", DbType.String);
            step = command.AddParameter("@step", DbType.Int64);
            epoch = command.AddParameter("@epoch", DbType.Int32);
            value = command.AddParameter("@value", DbType.Double);
            time = command.AddParameter("@time", DbType.Int64);
            command.Prepare();
        }

        public void Execute(DbTransaction transaction, List<MetricPoint> points)
        {
            command.Transaction = transaction;
            // A step's points share their step, epoch and time: each is boxed once, not once per point.
            long lastStep = long.MinValue, lastTime = long.MinValue;
            var lastEpoch = int.MinValue;
            foreach (var p in points)
            {
                split.Value = p.Split;
                name.Value = p.Name;
                if (p.Step != lastStep) step.Value = lastStep = p.Step;
                if (p.Epoch != lastEpoch) epoch.Value = lastEpoch = p.Epoch;
                if (p.TimeUnixMs != lastTime) time.Value = lastTime = p.TimeUnixMs;
                value.Value = double.IsFinite(p.Value) ? p.Value : DBNull.Value;
                command.ExecuteNonQuery();
            }
        }

        public void Dispose() => command.Dispose();
    }

    /// <summary>
    /// PostgreSQL: all the points in one statement, as six arrays unnested into rows (one round trip per flush, not per point).
    /// One statement cannot upsert a key twice, so a key reported twice in a flush keeps its last report (DISTINCT ON the
    /// key, latest first), as consecutive upserts would. A value that is not a number travels as NaN and is stored as null.
    /// </summary>
    private sealed class PostgresPoints : IDisposable
    {
        private readonly NpgsqlCommand command;
        private readonly List<string> splits = new(1024), names = new(1024);
        private readonly List<long> steps = new(1024), times = new(1024);
        private readonly List<int> epochs = new(1024);
        private readonly List<double> values = new(1024);

        public PostgresPoints(NpgsqlConnection connection, int runId)
        {
            command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO "MetricPoints" ("RunId", "Split", "Name", "Step", "Epoch", "Value", "TimeUnixMs")
                SELECT DISTINCT ON (p.split, p.name, p.step) @run, p.split, p.name, p.step, p.epoch, NULLIF(p.value, 'NaN'::float8), p.time
                FROM unnest(@splits, @names, @steps, @epochs, @values, @times) WITH ORDINALITY AS p(split, name, step, epoch, value, time, n)
                ORDER BY p.split, p.name, p.step, p.n DESC
                ON CONFLICT ("RunId", "Split", "Name", "Step")
                DO UPDATE SET "Epoch" = excluded."Epoch", "Value" = excluded."Value", "TimeUnixMs" = excluded."TimeUnixMs"
                """;
            command.Parameters.Add(new NpgsqlParameter<int>("@run", NpgsqlDbType.Integer) { TypedValue = runId });
            command.Parameters.Add(new NpgsqlParameter("@splits", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = splits });
            command.Parameters.Add(new NpgsqlParameter("@names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
            command.Parameters.Add(new NpgsqlParameter("@steps", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = steps });
            command.Parameters.Add(new NpgsqlParameter("@epochs", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = epochs });
            command.Parameters.Add(new NpgsqlParameter("@values", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = values });
            command.Parameters.Add(new NpgsqlParameter("@times", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = times });
            command.Prepare();
        }

        public void Execute(DbTransaction transaction, List<MetricPoint> points)
        {
            splits.Clear(); names.Clear(); steps.Clear(); epochs.Clear(); values.Clear(); times.Clear();
            foreach (var p in points)
            {
                splits.Add(p.Split);
                names.Add(p.Name);
                steps.Add(p.Step);
                epochs.Add(p.Epoch);
                values.Add(double.IsFinite(p.Value) ? p.Value : double.NaN);
                times.Add(p.TimeUnixMs);
            }
            command.Transaction = (NpgsqlTransaction)transaction;
            command.ExecuteNonQuery();
        }

        public void Dispose() => command.Dispose();
    }
}
