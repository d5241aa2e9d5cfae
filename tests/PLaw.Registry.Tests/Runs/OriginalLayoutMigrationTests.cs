using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PLaw.Registry.Tests.Runs;

/// <summary>
/// A registry from before SASRec <c>Original</c> lost its attention output projection: its <c>Original</c> runs and studies are
/// renamed <c>OriginalProj</c>, the layout their numbers and checkpoints come from; other runs are untouched.
/// </summary>
public sealed class OriginalLayoutMigrationTests
{
    [Fact]
    public async Task OldOriginalRunsAndStudiesNameTheLayoutTheyWereTrainedWith()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-original-").FullName;
        var path = Path.Combine(folder, "registry.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "net9-registry", "registry.db"), path);
        // The old release's file, with one of its SASRec runs and its study planned on the then 'Original' layout.
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                UPDATE Runs SET Name = replace(Name, 'sasrec-', 'sasrec-original-'),
                    OptionsJson = json_set(OptionsJson, '$.variant', 'Original', '$.resolvedVariant', 'Original',
                                           '$.displayName', replace(json_extract(OptionsJson, '$.displayName'), 'sasrec-', 'sasrec-original-'))
                WHERE Id = (SELECT MIN(Id) FROM Runs WHERE Model = 'sasrec');
                UPDATE Studies SET GridJson = json_set(GridJson, '$.base.variant', 'Original');
                """;
            command.ExecuteNonQuery();
        }
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(path).BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        await RegistryMigrator.MigrateAsync(factory);

        await using var db = await factory.CreateDbContextAsync();
        var runs = await db.Runs.OrderBy(r => r.Id).ToListAsync();
        var renamed = runs.Single(r => r.OptionsJson.Contains("\"variant\"", StringComparison.Ordinal));
        Assert.StartsWith("sasrec-originalproj-", renamed.Name);
        Assert.Contains("\"variant\":\"OriginalProj\"", renamed.OptionsJson);
        Assert.Contains("\"resolvedVariant\":\"OriginalProj\"", renamed.OptionsJson);
        Assert.Contains("\"displayName\":\"sasrec-originalproj-", renamed.OptionsJson);
        Assert.Equal("OriginalProj", PLaw.Registry.Runs.RunJson.Options(renamed).ResolvedVariant);
        Assert.All(runs.Where(r => r != renamed), r => Assert.DoesNotContain("original", r.Name));
        Assert.Contains("\"variant\":\"OriginalProj\"", (await db.Studies.SingleAsync()).GridJson);
        SqliteConnection.ClearAllPools();
    }
}
