using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Entropy;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// A dashboard (worker off) with the demo dataset and two synthetic Markov datasets of other sizes and concentrations; each has an
/// entropy row at L = 50 and a completed SASRec grid whose NDCG@10 follows a planted joint law D_k = c·q_k, q_k = tokens / ApEn.
/// </summary>
public sealed class PredictedSurfaceFixture : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();
    public DashboardServer Server { get; private set; } = default!;
    public IBrowser Browser => browser.Browser;
    public int DemoId { get; private set; }
    public int SmallId { get; private set; }

    private const double W1 = 0.05, W2 = 0.08, W3 = -0.3, W4 = -0.2, W5 = -0.1, C = 2e-3, B = 0.4;

    public static double Truth(int n, int d, double q) => W1 * Term(n, W3) + W2 * Term(d, W4) + Term(C * q, W5) + B;

    private static double Term(double x, double w) => -0.5 * Math.Pow(x, -w) - w * Math.Log(x);

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        Server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Server.RegistryPath).BuildServiceProvider();
        var datasets = services.GetRequiredService<DatasetCatalog>();
        var entropy = services.GetRequiredService<EntropyReports>();
        var catalog = services.GetRequiredService<RunCatalog>();
        DemoId = (await datasets.FindByNameAsync("demo-markov"))!.Id;
        var ids = new List<int> { DemoId };
        foreach (var (name, users, concentration) in new[] { ("markov-small", 200, 0.2), ("markov-large", 900, 2.0) })
        {
            var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: users, Items: 120, Concentration: concentration, MinLength: 20, MaxLength: 60, Seed: 5));
            var record = await datasets.StoreAsync(name, "synthetic", "synthetic", "{}", "{}", data.Sequences);
            ids.Add(record.Id);
            if (name == "markov-small") SmallId = record.Id;
        }
        var random = new Random(9);
        foreach (var id in ids)
        {
            var row = (await entropy.GetOrComputeAsync(id, new EntropyTableOptions([50]))).Single().Row;
            var grid = new StudyGrid { Base = new RunOptions { Epochs = 1, Threads = 1, MaxLength = 50 }, Models = [ModelFamily.Sasrec], Layers = [1, 2, 4], Dims = [8, 16, 32] };
            var (_, runs) = await catalog.CreateStudyAsync($"grid-{id}", id, grid);
            foreach (var run in runs)
            {
                var value = Truth(run.Layers, run.Dim, row.Tokens / row.Apen) + 0.0005 * (random.NextDouble() - 0.5);
                await catalog.UpdateAsync(run.Id, r =>
                {
                    r.Status = RunStatus.Completed;
                    r.EpochsDone = r.Epochs;
                    r.FinishedUtc = DateTime.UtcNow;
                    RunResults.SetTestMetrics(r, new Dictionary<string, double> { ["NDCG@10"] = value });
                });
            }
        }
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }

    public Task<IPage> OpenAsync(string path) => browser.OpenAsync(Server.BaseUrl, path, width: 1440, height: 1000, timeout: 60_000);
}

public sealed class PredictedSurfaceTests(PredictedSurfaceFixture fixture) : IClassFixture<PredictedSurfaceFixture>
{
    [Fact]
    public async Task TheDatasetPageShowsThePredictedSurfaceAndPredictedAgainstMeasured()
    {
        var page = await fixture.OpenAsync($"/datasets/{fixture.DemoId}?proxy=apen&metric=NDCG@10");
        var summary = page.Locator("#transfer-summary");
        await Assertions.Expect(summary).ToContainTextAsync("fitted on 2 other datasets");
        await Assertions.Expect(summary).ToContainTextAsync("markov-small: 9 runs");
        await Assertions.Expect(summary).ToContainTextAsync("markov-large: 9 runs");
        await Assertions.Expect(page.Locator("[data-chart=predicted-surface]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        await Assertions.Expect(page.Locator("[data-chart=predicted-vs-measured]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        await Assertions.Expect(page.Locator("#transfer-table tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#transfer-measured")).ToContainTextAsync("9 runs of this dataset at L = 50");
        await Assertions.Expect(page.Locator("#transfer-optimum")).ToContainTextAsync("Predicted optimum in");

        // The proxy picker is shareable: it goes into the query string.
        // As the law pages do: once more if a re-render closed the popup before the click landed.
        await LawPagesTests.ChooseAsync(page, "transfer-proxy", "tokens / chunked real entropy", "proxy=chunked");
        await Assertions.Expect(summary).ToContainTextAsync("tokens / chunked real entropy");
        await Accessibility.AssertCleanAsync(page, "the dataset page with its predicted surface");
    }

    [Fact]
    public async Task AMetricNoRunReportsIsAPlainRefusalSayingWhatToDo()
    {
        var page = await fixture.OpenAsync($"/datasets/{fixture.SmallId}?metric=HR@50");
        await Assertions.Expect(page.Locator("#transfer-refusal")).ToContainTextAsync("needs runs on at least two other datasets");
        await Assertions.Expect(page.Locator("#transfer-refusal")).ToContainTextAsync("reporting HR@50");
    }
}
