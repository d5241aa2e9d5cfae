using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PLaw.Registry.Tests;

public sealed class RegistryMigrationTests
{
    [Fact]
    public async Task MigrationsDescribeTheCurrentModel()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        await using var db = registry.OpenContext();
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration in migrations/.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task MigratedSchemaHasTheTablesAndUniqueKeys()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        await using var connection = new SqliteConnection($"Data Source={registry.RegistryPath}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table','index') ORDER BY name";
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        Assert.Contains("Datasets", names);
        Assert.Contains("DatasetSequences", names);
        Assert.Contains("EntropyReports", names);
        Assert.Contains("IX_EntropyReports_DatasetId_MaxLen_M_R_Variant", names);
        Assert.Contains("IX_Datasets_Name", names);
    }

    [Fact]
    public async Task MigratingTwiceIsHarmless()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        await RegistryMigrator.MigrateAsync(registry.Get<IDbContextFactory<RegistryDbContext>>());
        await using var db = registry.OpenContext();
        Assert.Equal(2, (await db.Database.GetAppliedMigrationsAsync()).Count());
    }
}
