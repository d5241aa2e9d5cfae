using Microsoft.EntityFrameworkCore;

namespace PLaw.Registry;

/// <summary>Brings the registry file to the newest migration (creating it and its folder when absent).</summary>
public static class RegistryMigrator
{
    public static async Task MigrateAsync(IDbContextFactory<RegistryDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var file = db.Database.GetDbConnection().DataSource;
        if (!string.IsNullOrEmpty(file) && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            Directory.CreateDirectory(folder);
        await db.Database.MigrateAsync(ct);
        // WAL lets the dashboard read while a background import or training run writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
