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
/// An HSTU ablation study (full HSTU and "no rab" over the same sizes) on the frameworks page: each ablation is a family of
/// its own, fitted and ranked apart, instead of one HSTU law that averages the ablations as if they were seeds.
/// </summary>
public sealed class AblationLawsTests(AblationStudyFixture dashboard) : IClassFixture<AblationStudyFixture>
{
    [Fact]
    public async Task EachAblationIsFittedAndRankedAsItsOwnFamily()
    {
        var page = await dashboard.OpenAsync($"/frameworks?study={dashboard.StudyId}&metric=NDCG@10");
        var families = page.Locator("#frameworks tbody tr");
        await Assertions.Expect(families).ToHaveCountAsync(2);
        // Full HSTU is seeded with the larger scaling potential, so it ranks first.
        Assert.Equal(["hstu", "hstu-no-rab"], await families.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.family)"));
        Assert.Equal(["HSTU", "HSTU no-rab"], await families.EvaluateAllAsync<string[]>("rows => rows.map(r => r.cells[0].textContent.trim())"));
        await Assertions.Expect(page.Locator(".family-degenerate")).ToHaveCountAsync(0);
    }
}

/// <summary>A dashboard without its run worker holding one finished ablation study: HSTU full and no-rab, 6 × 5 sizes each,
/// metrics from <see cref="LawStudySeed"/>'s laws (full HSTU with HSTU's weights, no-rab with SASRec's smaller ones).</summary>
public sealed class AblationStudyFixture : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();

    public DashboardServer Server { get; private set; } = default!;
    public int StudyId { get; private set; }

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        Server = await WorkerlessDashboard.StartAsync();
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Server.RegistryPath).BuildServiceProvider();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        var catalog = services.GetRequiredService<RunCatalog>();
        var grid = new StudyGrid
        {
            Base = new RunOptions { Model = ModelFamily.Hstu, Epochs = 1, Threads = 1 }, Layers = LawStudySeed.Layers, Dims = LawStudySeed.Dims,
            Ablations = ["none", "rab"],
        };
        var (study, runs) = await catalog.CreateStudyAsync("ablation-grid", demo.Id, grid);
        var random = new Random(7);
        foreach (var run in runs)
        {
            var law = run.Name.StartsWith("hstu-no-rab-", StringComparison.Ordinal) ? ModelFamily.Sasrec : ModelFamily.Hstu;
            var metrics = new[] { "NDCG@10", "HR@10" }.ToDictionary(m => m,
                m => LawStudySeed.Value(law, m, run.Layers, run.Dim) + LawStudySeed.Noise * LawStudySeed.Gaussian(random));
            await catalog.UpdateAsync(run.Id, r =>
            {
                r.Status = RunStatus.Completed;
                r.EpochsDone = r.Epochs;
                r.FinishedUtc = DateTime.UtcNow;
                RunResults.SetTestMetrics(r, metrics);
            });
        }
        StudyId = study.Id;
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }

    public Task<IPage> OpenAsync(string path) => browser.OpenAsync(Server.BaseUrl, path, width: 1440, height: 1000);
}
