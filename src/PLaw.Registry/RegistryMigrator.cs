using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace PLaw.Registry;

/// <summary>Brings the registry to the newest migration of its provider (a SQLite file is created, with its folder, when absent).</summary>
public static class RegistryMigrator
{
    public static async Task MigrateAsync(IDbContextFactory<RegistryDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (Storage.RegistryConnection.IsPostgres(db.Database))
        {
            // Several processes may start at once (docker compose up --scale worker=4). EF's own migration lock did not keep
            // them apart on an empty database (two applied the same migration; one failed with "relation already exists"),
            // so one session-level advisory lock orders them: one migrates, the others then find nothing to do.
            await using var gate = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
            await gate.OpenAsync(ct);
            await AdvisoryAsync(gate, "pg_advisory_lock", ct);
            try
            {
                await CreateHistoryTableAsync(db, ct);
                await MigrateOrExplainAsync(db, ct);
            }
            finally
            {
                await AdvisoryAsync(gate, "pg_advisory_unlock", CancellationToken.None);
            }
            return;
        }
        var file = db.Database.GetDbConnection().DataSource;
        if (!string.IsNullOrEmpty(file) && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            Directory.CreateDirectory(folder);
        await MigrateOrExplainAsync(db, ct);
        // WAL lets the dashboard read while a background import or training run writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>The key of the registry's migration lock: "PLaw" in ASCII, clear of any other application's keys on a shared server.</summary>
    private const long MigrationLockKey = 0x504C_6177_4D69_6772;

    private static async Task AdvisoryAsync(NpgsqlConnection connection, string function, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
        command.Parameters.Add(new NpgsqlParameter<long>("key", MigrationLockKey));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Npgsql's provider learns that its history table is missing by failing to read it, which EF logs as an error
    /// ("Failed executing DbCommand", efcore.pg #3407) on every first start: the table is created first, by the provider's script.
    /// </summary>
    private static Task CreateHistoryTableAsync(RegistryDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);

    /// <summary>EF Core refuses to migrate when the model has changes no migration holds; this says which.</summary>
    private static async Task MigrateOrExplainAsync(RegistryDbContext db, CancellationToken ct)
    {
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        catch (InvalidOperationException e) when (e.Message.Contains(nameof(RelationalEventId.PendingModelChangesWarning), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The registry's {db.Database.ProviderName} migrations do not describe this build's model; " +
                $"a migration is missing for:\n  {string.Join("\n  ", Storage.ModelDrift.Of(db))}", e);
        }
    }
}
