using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PLaw.Registry;

/// <summary>Brings the registry to the newest migration of its provider (a SQLite file is created, with its folder, when absent).</summary>
public static class RegistryMigrator
{
    public static async Task MigrateAsync(IDbContextFactory<RegistryDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (Storage.RegistryConnection.IsPostgres(db.Database))
        {
            // Several processes may start at once (docker compose up --scale worker=4): MigrateAsync takes PostgreSQL's
            // migration lock, so one migrates and the others find it done.
            await MigrateOrExplainAsync(db, ct);
            return;
        }
        var file = db.Database.GetDbConnection().DataSource;
        if (!string.IsNullOrEmpty(file) && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            Directory.CreateDirectory(folder);
        await MigrateOrExplainAsync(db, ct);
        // WAL lets the dashboard read while a background import or training run writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

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
