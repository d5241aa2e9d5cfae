using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PLaw.Registry.Tests;

/// <summary>
/// A registry file made by the net9.0 / EF Core 9 release (Fixtures/net9-registry, see its README) opens under this build:
/// its migrations apply, and the real <c>plaw</c> reads back the datasets, runs and metric points that release exported.
/// </summary>
public sealed class RegistryUpgradeTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "net9-registry", name);

    private static string CopyOldRegistry()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-upgrade-").FullName;
        File.Copy(Fixture("registry.db"), Path.Combine(folder, "registry.db"));
        return folder;
    }

    [Fact]
    public async Task TheOldFileMigratesToTheCurrentModel()
    {
        var folder = CopyOldRegistry();
        await using var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Path.Combine(folder, "registry.db"))
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        await using (var before = await factory.CreateDbContextAsync())
            Assert.Contains("20261122000000_InitialRegistry", await before.Database.GetAppliedMigrationsAsync()); // made by the old release

        await RegistryMigrator.MigrateAsync(factory);

        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        // Every entity reads through the current mapping.
        Assert.Equal(1, await db.Datasets.CountAsync());
        Assert.Equal(1, await db.DatasetSequences.CountAsync());
        Assert.Equal(4, await db.Runs.CountAsync());
        Assert.Equal(1, await db.Studies.CountAsync());
        Assert.True(await db.MetricPoints.CountAsync() > 0);
        await db.RunEvents.ToListAsync();
        await db.EntropyReports.ToListAsync();
        SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("runs.json", new[] { "export", "runs", "--format", "json" })]
    [InlineData("metrics.json", new[] { "export", "metrics", "--study", "1", "--format", "json" })]
    [InlineData("datasets.json", new[] { "datasets", "--json" })]
    public async Task PlawReadsBackWhatTheOldReleaseExported(string exported, string[] command)
    {
        var folder = CopyOldRegistry();
        var result = await RunPlawAsync([.. command, "--data-dir", folder]);
        Assert.True(result.ExitCode == 0, result.Error);

        using var expected = JsonDocument.Parse(File.ReadAllText(Fixture(exported)));
        using var actual = JsonDocument.Parse(result.Out);
        Assert.True(expected.RootElement.GetArrayLength() > 0, $"{exported} is empty");
        AssertSame(expected.RootElement, actual.RootElement, exported);
    }

    private static readonly Regex Timestamp = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$");

    /// <summary>
    /// Same values as parsed JSON: numbers by value, timestamps by instant to the millisecond (the old release wrote UTC
    /// without a trailing Z and with ticks; exports now write what the CSV writes, milliseconds and a Z).
    /// Every property the old release wrote must be there with its value; a property added since is allowed.
    /// </summary>
    private static void AssertSame(JsonElement expected, JsonElement actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array, $"{path}: expected an array, found {actual.ValueKind}");
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(),
                    $"{path}: {expected.GetArrayLength()} elements before, {actual.GetArrayLength()} now");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                    AssertSame(expected[i], actual[i], $"{path}[{i}]");
                break;
            case JsonValueKind.Object:
                Assert.True(actual.ValueKind == JsonValueKind.Object, $"{path}: expected an object, found {actual.ValueKind}");
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is missing");
                    AssertSame(property.Value, value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Number:
                Assert.True(actual.ValueKind == JsonValueKind.Number, $"{path}: expected a number, found {actual}");
                Assert.True(expected.GetDouble() == actual.GetDouble(), $"{path}: {expected} before, {actual} now");
                break;
            case JsonValueKind.String when Timestamp.IsMatch(expected.GetString()!):
                Assert.True(actual.ValueKind == JsonValueKind.String, $"{path}: expected a timestamp, found {actual}");
                Assert.True(Millisecond(Instant(expected.GetString()!)) == Millisecond(Instant(actual.GetString()!)),
                    $"{path}: {expected} before, {actual} now");
                break;
            default:
                Assert.True(expected.ValueKind == actual.ValueKind && expected.ToString() == actual.ToString(),
                    $"{path}: {expected.GetRawText()} before, {actual.GetRawText()} now");
                break;
        }
    }

    // Registry timestamps are UTC; without an offset they are read as UTC.
    private static DateTime Instant(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static long Millisecond(DateTime instant) => instant.Ticks / TimeSpan.TicksPerMillisecond;

    private sealed record Result(int ExitCode, string Out, string Error);

    private static async Task<Result> RunPlawAsync(string[] args)
    {
        var directory = typeof(RegistryUpgradeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CliDirectory").Value!;
        var start = new ProcessStartInfo(Path.Combine(directory, "plaw"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
