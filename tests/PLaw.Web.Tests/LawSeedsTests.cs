using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// A SASRec study with three seeds per configuration, written into the dashboard's registry file: the laws page fits the
/// configuration means weighted by their seed noise and draws them with ± 1 SD error bars.
/// </summary>
public sealed class LawSeedsTests(LawStudyFixture dashboard) : IClassFixture<LawStudyFixture>
{
    private static readonly int[] Seeds = [1, 2, 3];
    private const double SeedNoise = 0.004;

    private static async Task<int> SeedStudyAsync(string registryPath)
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(registryPath).BuildServiceProvider();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        var catalog = services.GetRequiredService<RunCatalog>();
        var grid = new StudyGrid
        {
            Base = new RunOptions { Epochs = 1, Threads = 1 }, Models = [ModelFamily.Sasrec], Layers = LawStudySeed.Layers, Dims = LawStudySeed.Dims, Seeds = Seeds,
        };
        var (study, runs) = await catalog.CreateStudyAsync($"law-seeds-{Guid.NewGuid():N}", demo.Id, grid);
        var random = new Random(23);
        foreach (var run in runs)
        {
            double Noisy(double value) => value + SeedNoise * LawStudySeed.Gaussian(random);
            var metrics = new[] { "NDCG@10", "HR@10" }.ToDictionary(m => m, m => Noisy(LawStudySeed.Value(ModelFamily.Sasrec, m, run.Layers, run.Dim)));
            metrics["loss"] = Noisy(LawStudySeed.E + Math.Pow(LawStudySeed.N0 / run.NonEmbeddingParameters, LawStudySeed.Alpha));
            await catalog.UpdateAsync(run.Id, r =>
            {
                r.Status = RunStatus.Completed;
                r.EpochsDone = r.Epochs;
                r.FinishedUtc = DateTime.UtcNow;
                RunResults.SetTestMetrics(r, metrics);
            });
        }
        return study.Id;
    }

    [Fact]
    public async Task AMultiSeedStudyIsFittedToWeightedMeansAndDrawnWithErrorBars()
    {
        var studyId = await SeedStudyAsync(dashboard.Server.RegistryPath);
        var configurations = LawStudySeed.Layers.Length * LawStudySeed.Dims.Length;
        var page = await dashboard.OpenAsync($"/laws?study={studyId}&family=sasrec&metric=NDCG@10");
        await Assertions.Expect(page.Locator("#seed-note")).ToHaveAttributeAsync("data-weighted", "true");
        await Assertions.Expect(page.Locator("#seed-note")).ToContainTextAsync($"means of {configurations} configurations");
        await Assertions.Expect(page.Locator("#configurations tbody tr[data-n='3']")).ToHaveCountAsync(configurations);
        await Assertions.Expect(page.Locator("#residuals tbody tr")).ToHaveCountAsync(configurations * Seeds.Length);
        // The parameter table gives each identified parameter an interval from the bootstrap over seeds, around its estimate.
        await Assertions.Expect(page.Locator("#law-parameters thead")).ToContainTextAsync("bootstrap over seeds");
        var w3 = page.Locator("#law-parameters tr[data-parameter=w3] td.parameter-interval");
        await Assertions.Expect(w3).ToHaveAttributeAsync("data-low", new System.Text.RegularExpressions.Regex(@"\d"));
        var (low, high) = (double.Parse((await w3.GetAttributeAsync("data-low"))!, System.Globalization.CultureInfo.InvariantCulture),
            double.Parse((await w3.GetAttributeAsync("data-high"))!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(low < LawStudySeed.W3 + 0.05 && high > LawStudySeed.W3 - 0.05 && low < high, $"w3 interval [{low}, {high}]");

        // The layers chart: means as points, one ± 1 SD bar per configuration ([x, lo], [x, hi], break), named so in the legend.
        await Assertions.Expect(page.Locator("[data-chart=law-layers]")).ToHaveAttributeAsync("data-rendered", new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var bars = await page.EvaluateAsync<JsonElement>("""
            () => {
                const option = echarts.getInstanceByDom(document.querySelector('[data-chart=law-layers]')).getOption();
                const bars = option.series.find(s => s.name === '± 1 SD over seeds');
                const points = option.series.filter(s => s.type === 'scatter').reduce((n, s) => n + s.data.length, 0);
                const legend = option.legend[0].data ?? option.series.map(s => s.name);
                return { data: bars ? bars.data : null, points, inLegend: legend.includes('± 1 SD over seeds') };
            }
            """);
        Assert.Equal(configurations, bars.GetProperty("points").GetInt32());
        Assert.True(bars.GetProperty("inLegend").GetBoolean());
        var data = bars.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3 * configurations, data.Count);
        var halfWidths = new List<double>();
        for (var i = 0; i < data.Count; i += 3)
        {
            var (lo, hi) = (data[i], data[i + 1]);
            Assert.Equal(lo[0].GetDouble(), hi[0].GetDouble());                       // a vertical bar
            halfWidths.Add((hi[1].GetDouble() - lo[1].GetDouble()) / 2);
            Assert.True(data[i + 2].ValueKind is JsonValueKind.Null or JsonValueKind.String or JsonValueKind.Undefined, $"item {i + 2} is {data[i + 2]}");
        }
        // Each bar is ± the SD of its three seeds; on average that is about the seeds' SD (0.89 σ for three).
        Assert.All(halfWidths, h => Assert.True(h > 0));
        Assert.InRange(halfWidths.Average(), 0.5 * SeedNoise, 1.5 * SeedNoise);
        await Assertions.Expect(page.Locator("[data-chart-figure=law-layers] figcaption")).ToContainTextAsync("± 1 SD over seeds");
        await Assertions.Expect(page.Locator("#law-next-run")).ToContainTextAsync("the compute of the median measured configuration");
        await Accessibility.AssertCleanAsync(page, "laws page of a multi-seed study");
    }
}
