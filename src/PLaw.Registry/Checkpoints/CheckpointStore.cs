using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Checkpoints;

/// <summary>
/// Runs' checkpoints in the registry, so every worker reaches them (issue #15): one header row and chunks of at most
/// <see cref="ChunkBytes"/> (<see cref="CheckpointChunkRecord"/>). A save replaces the whole checkpoint in one transaction and a
/// fetch reads it in one statement, so a reader sees the old checkpoint or the new one, never a mix or half of one. Both stream
/// a chunk at a time: a 500 MB checkpoint costs one chunk of memory, not 500 MB.
/// </summary>
public sealed class CheckpointStore(IDbContextFactory<RegistryDbContext> factory, RegistryConnection connection, ILogger<CheckpointStore> logger)
{
    /// <summary>The registry's database engine: where checkpoints go by default (<see cref="CheckpointPlacement.Resolve"/>).</summary>
    public RegistryProvider Provider => connection.Provider;

    /// <summary>The largest chunk: 1 MiB, far below PostgreSQL's and SQLite's row limits, small enough to stream.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>Serialises two saves of one run's checkpoint on PostgreSQL (pg_advisory_xact_lock's first key).</summary>
    private const int AdvisoryLockSpace = 0x504C_4377; // "PLCw"

    /// <summary>The header of run <paramref name="runId"/>'s checkpoint in the registry, or null when it has none.</summary>
    public async Task<StoredCheckpoint?> FindAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.CheckpointChunks.AsNoTracking().Where(c => c.RunId == runId && c.Sequence == 0)
            .Select(c => new StoredCheckpoint(c.RunId, c.Length ?? 0, c.Sha256 ?? "", c.Chunks ?? 0, c.SavedUtc ?? DateTime.MinValue))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Which of <paramref name="runIds"/> have a checkpoint in the registry.</summary>
    public async Task<IReadOnlySet<int>> WhichHaveAsync(IReadOnlyCollection<int> runIds, CancellationToken ct = default)
    {
        if (runIds.Count == 0) return new HashSet<int>();
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.CheckpointChunks.AsNoTracking().Where(c => c.Sequence == 0 && runIds.Contains(c.RunId))
            .Select(c => c.RunId).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>
    /// Stores <paramref name="file"/> as run <paramref name="runId"/>'s checkpoint, replacing the previous one in the same
    /// transaction. With a <paramref name="holder"/> it commits only while that worker still holds the run (a worker that lost
    /// its lease must not overwrite its successor's checkpoint); null when it did not.
    /// </summary>
    public async Task<StoredCheckpoint?> SaveAsync(int runId, string file, RunHolder? holder = null, CancellationToken ct = default)
    {
        // The trainer replaces the file by renaming a new one over it: this handle keeps reading the file as it was opened.
        await using var input = new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0,
            Options = FileOptions.SequentialScan,
        });
        await using var db = await factory.CreateDbContextAsync(ct);
        var postgres = RegistryConnection.IsPostgres(db.Database);
        await db.Database.OpenConnectionAsync(ct);
        // SQLite: BEGIN IMMEDIATE, the one writer. PostgreSQL: the advisory lock orders two saves of the same run.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dbConnection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        if (postgres)
            await ExecuteAsync(dbConnection, dbTransaction, "SELECT pg_advisory_xact_lock(@space, @run)", ct, ("space", (object)AdvisoryLockSpace), ("run", (object)runId));
        await ExecuteAsync(dbConnection, dbTransaction, """DELETE FROM "CheckpointChunks" WHERE "RunId" = @run""", ct, ("run", (object)runId));

        await using var insert = Command(dbConnection, dbTransaction,
            """INSERT INTO "CheckpointChunks" ("RunId", "Sequence", "Data") VALUES (@run, @sequence, @data)""",
            ("run", (object)runId), ("sequence", (object)0), ("data", (object)Array.Empty<byte>()));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        long length = 0;
        var chunks = 0;
        while (true)
        {
            var filled = await FillAsync(input, buffer, ct);
            if (filled == 0) break;
            hash.AppendData(buffer, 0, filled);
            length += filled;
            insert.Parameters["@sequence"].Value = ++chunks;
            // A full chunk is sent from the one buffer; only a last, shorter chunk needs an array of its own size.
            insert.Parameters["@data"].Value = filled == buffer.Length ? buffer : buffer.AsSpan(0, filled).ToArray();
            await insert.ExecuteNonQueryAsync(ct);
            if (filled < buffer.Length) break;
        }
        var stored = new StoredCheckpoint(runId, length, Convert.ToHexStringLower(hash.GetHashAndReset()), chunks, DateTime.UtcNow);
        await ExecuteAsync(dbConnection, dbTransaction, """
            INSERT INTO "CheckpointChunks" ("RunId", "Sequence", "Data", "Length", "Sha256", "Chunks", "SavedUtc")
            VALUES (@run, 0, @data, @length, @sha, @chunks, @saved)
            """, ct, ("run", (object)runId), ("data", (object)Array.Empty<byte>()), ("length", (object)length), ("sha", (object)stored.Sha256), ("chunks", (object)chunks),
            ("saved", (object)stored.SavedUtc));

        if (holder is not null && !await StillHeldAsync(dbConnection, dbTransaction, runId, holder, postgres, ct))
        {
            await transaction.RollbackAsync(ct);
            logger.LogWarning("Run {RunId}: checkpoint not stored; worker {WorkerId} no longer holds the run", runId, holder.WorkerId);
            return null;
        }
        await transaction.CommitAsync(ct);
        return stored;
    }

    /// <summary>
    /// Checked last, just before the commit: on PostgreSQL the row lock (FOR UPDATE) keeps another worker from claiming the run
    /// between this check and the commit, without holding the run's row (and so its heartbeats) for the whole upload.
    /// </summary>
    private static async Task<bool> StillHeldAsync(DbConnection connection, DbTransaction transaction, int runId, RunHolder holder, bool postgres,
        CancellationToken ct)
    {
        var sql = """SELECT 1 FROM "Runs" WHERE "Id" = @run AND "Status" = 'Running' AND "WorkerId" = @worker""" + (postgres ? " FOR UPDATE" : "");
        await using var command = Command(connection, transaction, sql, ("run", (object)runId), ("worker", (object)holder.WorkerId));
        return await command.ExecuteScalarAsync(ct) is not null and not DBNull;
    }

    /// <summary>
    /// Makes <paramref name="file"/> hold run <paramref name="runId"/>'s checkpoint from the registry: left as it is when it
    /// already does (same length and SHA-256), else downloaded beside it, verified, and moved over it.
    /// </summary>
    /// <exception cref="InvalidDataException">The registry's copy does not match its own header (length, chunks or hash).</exception>
    public async Task<CheckpointFetch> FetchAsync(int runId, string file, CancellationToken ct = default)
    {
        if (await FindAsync(runId, ct) is not { } header) return CheckpointFetch.NotInRegistry;
        if (File.Exists(file) && new FileInfo(file).Length == header.Length && await HashFileAsync(file, ct) == header.Sha256)
            return CheckpointFetch.AlreadyHere;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var partial = file + ".download";
        try
        {
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
                if (!await DownloadAsync(runId, output, ct))
                    return CheckpointFetch.NotInRegistry;
            File.Move(partial, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
        return CheckpointFetch.Downloaded;
    }

    /// <summary>
    /// Writes run <paramref name="runId"/>'s checkpoint to <paramref name="output"/>, read in one statement (one snapshot of the
    /// registry) and a chunk at a time, and checks it against its header; false when the registry has none.
    /// </summary>
    public async Task<bool> DownloadAsync(int runId, Stream output, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = Command(db.Database.GetDbConnection(), null,
            """SELECT "Sequence", "Length", "Sha256", "Chunks", "Data" FROM "CheckpointChunks" WHERE "RunId" = @run ORDER BY "Sequence" """,
            ("run", (object)runId));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct)) return false;
        if (reader.GetInt32(0) != 0) throw Corrupt(runId, "its header row is missing");
        var (length, sha, chunks) = (reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long written = 0;
        var read = 0;
        while (await reader.ReadAsync(ct))
        {
            var sequence = reader.GetInt32(0);
            if (sequence != ++read) throw Corrupt(runId, $"chunk {read} is missing (found {sequence})");
            await using var chunk = reader.GetStream(4);
            int n;
            while ((n = await chunk.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), ct);
                written += n;
            }
        }
        if (read != chunks) throw Corrupt(runId, $"it has {read} chunks, its header says {chunks}");
        if (written != length) throw Corrupt(runId, $"it has {written:N0} bytes, its header says {length:N0}");
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != sha) throw Corrupt(runId, $"its SHA-256 is {actual}, its header says {sha}");
        await output.FlushAsync(ct);
        return true;
    }

    /// <summary>Removes run <paramref name="runId"/>'s checkpoint from the registry; false when it had none.</summary>
    public async Task<bool> DeleteAsync(int runId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.CheckpointChunks.Where(c => c.RunId == runId).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>The SHA-256 of a file, lower-case hex, read in order.</summary>
    public static async Task<string> HashFileAsync(string file, CancellationToken ct = default)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16,
            FileOptions.SequentialScan | FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private static InvalidDataException Corrupt(int runId, string what) =>
        new($"Run {runId}'s checkpoint in the registry is damaged: {what}. Re-queue the run to train it again from its last good checkpoint.");

    private static async Task<int> FillAsync(Stream input, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(filled), ct);
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>A run's checkpoint as the registry holds it (its header row).</summary>
public sealed record StoredCheckpoint(int RunId, long Length, string Sha256, int Chunks, DateTime SavedUtc);

/// <summary>What <see cref="CheckpointStore.FetchAsync"/> found.</summary>
public enum CheckpointFetch
{
    /// <summary>The registry has no checkpoint of the run; the local file, if any, is left alone.</summary>
    NotInRegistry,
    /// <summary>The local file already was the registry's checkpoint.</summary>
    AlreadyHere,
    /// <summary>The registry's checkpoint was downloaded and verified.</summary>
    Downloaded,
}
