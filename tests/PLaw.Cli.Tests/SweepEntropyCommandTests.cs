using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Registry;

namespace PLaw.Cli.Tests;

/// <summary>plaw sweep-entropy without --wait: K datasets at the asked rates, each with its entropy table and a queued study.</summary>
public sealed class SweepEntropyCommandTests
{
    private static string DataDirectory() => Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-sweep-").FullName, "data");

    private static string[] Tiny(string data) =>
        ["sweep-entropy", "--users", "60", "--items", "40", "--min-length", "5", "--max-length", "20", "--max-len", "10",
         "--layers-grid", "1,2", "--dims", "8", "--epochs", "1", "--data-dir", data];

    private static ServiceProvider Open(string data) =>
        new ServiceCollection().AddLogging().AddPLawRegistry(new PLawOptions { DataDirectory = data }.RegistryPath).BuildServiceProvider();

    [Fact]
    public async Task CreatesOneDatasetWithItsTrueRateAndTableAndOneQueuedStudyPerRate()
    {
        var data = DataDirectory();
        var result = await Plaw.RunAsync([.. Tiny(data), "--rates", "1,2,3", "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("queued", json.GetProperty("phase").GetString());
        var members = json.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal([1.0, 2.0, 3.0], members.Select(m => m.GetProperty("targetBits").GetDouble()));
        Assert.All(members, m => Assert.InRange(m.GetProperty("trueRateBits").GetDouble() - m.GetProperty("targetBits").GetDouble(), -0.02, 0.02));
        Assert.Equal(6, json.GetProperty("runs").GetInt32());
        Assert.Equal(6, json.GetProperty("queued").GetInt32());

        await using var services = Open(data);
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        foreach (var member in members)
        {
            var datasetId = member.GetProperty("datasetId").GetInt32();
            var dataset = await db.Datasets.SingleAsync(d => d.Id == datasetId);
            Assert.Equal(60, dataset.Users);
            var statistics = JsonDocument.Parse(dataset.StatisticsJson).RootElement;
            Assert.Equal(member.GetProperty("trueRateBits").GetDouble(), statistics.GetProperty("entropyRateBits").GetDouble(), 12);
            Assert.Equal(10, (await db.EntropyReports.SingleAsync(e => e.DatasetId == datasetId)).MaxLen);
            var studyId = member.GetProperty("studyId").GetInt32();
            Assert.Equal(datasetId, (await db.Studies.SingleAsync(s => s.Id == studyId)).DatasetId);
            Assert.Equal([1, 2], (await db.Runs.Where(r => r.StudyId == studyId).Select(r => r.Layers).ToListAsync()).Order());
        }
        Assert.Equal(3, await db.Datasets.CountAsync());
        Assert.Equal(1, await db.EntropySweeps.CountAsync());

        // Nothing has trained yet: the report says why instead of fitting nothing.
        var report = await Plaw.RunAsync("sweep-entropy", "--report", json.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", data);
        Assert.Equal(2, report.ExitCode);
        Assert.Contains("at least three datasets", report.Error);
    }

    [Fact]
    public async Task AnUnreachableRateIsRefusedAndLeavesNoDatasetOrSweepBehind()
    {
        var data = DataDirectory();
        // 40 items carry at most log2(40) = 5.32 bits; the third rate fails after two datasets were stored.
        var result = await Plaw.RunAsync([.. Tiny(data), "--rates", "1,2,5.2"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("outside what 40 items", result.Error);
        await using var services = Open(data);
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Datasets.CountAsync());
        Assert.Equal(0, await db.EntropySweeps.CountAsync());
        Assert.Equal(0, await db.Studies.CountAsync());
    }

    [Fact]
    public async Task TooFewRatesAreRefusedNamingTheFlag()
    {
        var result = await Plaw.RunAsync([.. Tiny(DataDirectory()), "--rates", "2,3"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("rates: give at least three", result.Error);
    }

    [Fact]
    public async Task ALowerIsBetterMetricIsRefusedBeforeAnyDatasetIsMade()
    {
        var data = DataDirectory();
        var result = await Plaw.RunAsync([.. Tiny(data), "--metric", "loss"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("metric: loss is lower-is-better", result.Error);
        await using var services = Open(data);
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Datasets.CountAsync());
        Assert.Equal(0, await db.EntropySweeps.CountAsync());
    }
}
