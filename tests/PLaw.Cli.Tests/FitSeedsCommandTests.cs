using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Registry;
using PLaw.Registry.Runs;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw fit performance --study N</c> on a registry whose study has three seeds per configuration.</summary>
public sealed class FitSeedsCommandTests
{
    private static double Term(double x, double w) => -0.5 * Math.Pow(x, -w) - w * Math.Log(x);

    /// <summary>w1 = 0.5, w2 = 1, w3 = −0.3, w4 = −0.15, constant 1.2.</summary>
    private static double Law(int n, int d) => 0.5 * Term(n, -0.3) + 1.0 * Term(d, -0.15) + 1.2;

    [Fact]
    public async Task FitJsonOfASeededStudyIsWeightedWithPerConfigurationMeansAndIntervals()
    {
        var data = await SmallRegistry.CreateAsync("plaw-cli-seeds-");
        var study = await Plaw.RunAsync("study", "--name", "seeded", "--dataset", "small", "--layers-grid", "1,2,4,8", "--dims", "16,32,64",
            "--seeds", "1,2,3", "--epochs", "1", "--data-dir", data, "--json");
        Assert.True(study.ExitCode == 0, study.Error);
        var studyId = JsonDocument.Parse(study.Out).RootElement.GetProperty("id").GetInt32();

        // Finish the runs in the registry file: the law plus seed noise of SD 0.003, and one seed left queued (4 × 64 has two).
        await using (var services = new ServiceCollection().AddLogging().AddPLawRegistry(Path.Combine(data, "registry.db")).BuildServiceProvider())
        {
            var catalog = services.GetRequiredService<RunCatalog>();
            var random = new Random(5);
            foreach (var run in await catalog.ListAsync(studyId))
            {
                if ((run.Layers, run.Dim, run.Seed) == (4, 64, 3)) continue;
                var value = Law(run.Layers, run.Dim) + 0.003 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                await catalog.UpdateAsync(run.Id, r =>
                {
                    r.Status = RunStatus.Completed;
                    r.EpochsDone = r.Epochs;
                    r.FinishedUtc = DateTime.UtcNow;
                    RunResults.SetTestMetrics(r, new Dictionary<string, double> { ["NDCG@10"] = value });
                });
            }
        }

        var fit = await Plaw.RunAsync("fit", "performance", "--study", studyId.ToString(), "--metric", "NDCG@10", "--resamples", "30", "--data-dir", data, "--json");
        Assert.True(fit.ExitCode == 0, fit.Error);
        using var json = JsonDocument.Parse(fit.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("weighted").GetBoolean());
        Assert.Equal(12, root.GetProperty("points").GetInt32());   // fitted to the 12 configuration means
        var configurations = root.GetProperty("configurations").EnumerateArray().ToList();
        Assert.Equal(12, configurations.Count);
        Assert.Equal(11, configurations.Count(c => c.GetProperty("n").GetInt32() == 3));
        var twoSeeds = Assert.Single(configurations, c => c.GetProperty("n").GetInt32() == 2);
        Assert.Equal((4, 64), (twoSeeds.GetProperty("layers").GetInt32(), twoSeeds.GetProperty("dim").GetInt32()));
        Assert.All(configurations, c => Assert.InRange(c.GetProperty("sd").GetDouble(), 1e-6, 0.02));
        Assert.All(configurations, c => Assert.True(c.GetProperty("se").GetDouble() > 0));
        Assert.Equal(35, root.GetProperty("residuals").GetArrayLength());   // every run, with its seed
        Assert.All(root.GetProperty("residuals").EnumerateArray(), r => Assert.InRange(r.GetProperty("seed").GetInt32(), 1, 3));
        var w3 = root.GetProperty("intervals").GetProperty("w3");
        Assert.True(w3.GetProperty("low").GetDouble() < root.GetProperty("w3").GetDouble() && root.GetProperty("w3").GetDouble() < w3.GetProperty("high").GetDouble());
        Assert.True(root.GetProperty("intervalsOverSeeds").GetBoolean());
    }

    [Fact]
    public async Task ALowerIsBetterMetricIsRefusedBeforeTheRegistryIsRead()
    {
        var data = Directory.CreateTempSubdirectory("plaw-cli-fit-logloss-").FullName;
        var fit = await Plaw.RunAsync("fit", "performance", "--study", "1", "--metric", "LogLoss", "--data-dir", data);
        Assert.Equal(2, fit.ExitCode);
        Assert.Contains("--metric LogLoss is lower-is-better", fit.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "registry.db")));
    }
}
