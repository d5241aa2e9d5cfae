using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Registry.Runs;

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
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }
}

/// <summary>The registry file the net9.0 release wrote (Fixtures/net9-registry) opens under this build, with the runs list's indexes.</summary>
public sealed class RunsListIndexUpgradeTests
{
    [Fact]
    public async Task TheOldRegistryGainsTheRunsListIndexesAndKeepsItsRuns()
    {
        var fixture = Path.Combine(PLaw.Tests.Common.RepoPaths.Root, "tests", "PLaw.Registry.Tests", "Fixtures", "net9-registry", "registry.db");
        Assert.True(File.Exists(fixture), $"The upgrade fixture is missing at {fixture}.");
        var directory = Directory.CreateTempSubdirectory("plaw-upgrade-").FullName;
        try
        {
            var path = Path.Combine(directory, "registry.db");
            File.Copy(fixture, path);
            await using (var services = new ServiceCollection().AddLogging()
                             .AddPLawRegistry(path).BuildServiceProvider())
            {
                var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
                await RegistryMigrator.MigrateAsync(factory);
                var catalog = services.GetRequiredService<RunCatalog>();
                var old = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(fixture)!, "runs.json"))).RootElement;
                var page = await catalog.QueryAsync(new RunQuery { Sort = RunSort.Ndcg10, PageSize = 200 });
                Assert.Equal(old.GetArrayLength(), page.Total);
                var expected = old.EnumerateArray()
                    .Select(r => (Id: r.GetProperty("id").GetInt32(), Ndcg: r.TryGetProperty("testNdcg10", out var v) ? v.GetDouble() : (double?)null))
                    .OrderByDescending(r => r.Ndcg).ThenByDescending(r => r.Id).ToList();
                Assert.Equal(expected, page.Rows.Select(r => (r.Run.Id, r.Run.TestNdcg10)).ToList());
                Assert.Contains("INDEX IX_Runs_TestNdcg10", string.Join(" ", await catalog.QueryPlanAsync(new RunQuery { Sort = RunSort.Ndcg10 })), StringComparison.Ordinal);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
