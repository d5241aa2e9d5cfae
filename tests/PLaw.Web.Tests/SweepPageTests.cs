using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Laws;
using PLaw.Registry;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Sweeps;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// A finished entropy sweep in the real dashboard: the sweep (tiny datasets, tables, studies) is created by the registry's own
/// service, then every run is completed with NDCG@10 drawn from the joint law with q = tokens / true rate, so the page must
/// report that the data term tracks the known rate.
/// </summary>
public sealed class SweepPageTests : IAsyncLifetime
{
    private static readonly JointPerformanceLawParameters Truth = new(W1: 0.02, W2: 0.04, W3: -0.3, W4: -0.15, W5: -0.1, C: 0.05, B: 0.4);
    private readonly BrowserFixture browser = new();
    private DashboardServer server = default!;
    private int sweepId;

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(server.RegistryPath).BuildServiceProvider();
        var sweeps = services.GetRequiredService<EntropySweeps>();
        var catalog = services.GetRequiredService<RunCatalog>();
        var request = new EntropySweepRequest
        {
            RatesBits = [1, 2, 3, 4], Users = 60, Items = 60, MinLength = 5, MaxLength = 20, TrainMaxLength = 10, Layers = [1, 2], Dims = [8, 16], Epochs = 1,
        };
        var status = await sweeps.CreateAsync(request);
        sweepId = status.Id;
        var entropy = services.GetRequiredService<EntropyReports>();
        foreach (var member in status.Members)
        {
            var tokens = (await entropy.GetOrComputeAsync(member.DatasetId, EntropySweeps.TableOptions(request)))[0].Row.Tokens;
            foreach (var run in await catalog.ListAsync(member.StudyId))
                await catalog.UpdateAsync(run.Id, r =>
                {
                    r.Status = RunStatus.Completed;
                    r.EpochsDone = r.Epochs;
                    r.FinishedUtc = DateTime.UtcNow;
                    RunResults.SetTestMetrics(r, new Dictionary<string, double> { ["NDCG@10"] = Truth.Value(r.Layers, r.Dim, tokens / member.TrueRateBits) });
                });
        }
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (server is not null) await server.DisposeAsync();
    }

    private Task<IPage> OpenAsync(string path) => browser.OpenAsync(server.BaseUrl, path);

    [Fact]
    public async Task AFinishedSweepShowsTheDataTermChartAndTheConclusionAtItsOwnUrl()
    {
        var list = await OpenAsync("/sweeps");
        await list.Locator($"a.sweep-link[href='/sweeps/{sweepId}']").ClickAsync();
        await list.WaitForURLAsync(new Regex($"/sweeps/{sweepId}$"));

        var page = await OpenAsync($"/sweeps/{sweepId}");
        await Assertions.Expect(page.Locator("#sweep-runs-done")).ToHaveTextAsync("16");
        await Assertions.Expect(page.Locator("#sweep-conclusion")).ToContainTextAsync("explains 100 %");
        await Assertions.Expect(page.Locator("#sweep-conclusion")).ToContainTextAsync("tracks the known entropy rate");
        await Assertions.Expect(page.Locator("[data-chart=sweep-data-term]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await Assertions.Expect(page.Locator("[data-chart=sweep-proxies]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await Assertions.Expect(page.Locator("[data-chart-figure=sweep-data-term] figcaption")).ToContainTextAsync("Fitted D by known entropy rate");
        var points = await page.EvaluateAsync<int>("""
            () => echarts.getInstanceByDom(document.querySelector('[data-chart=sweep-data-term]')).getOption().series[0].data.length
            """);
        Assert.Equal(4, points);
        await Assertions.Expect(page.Locator("#sweep-fits tr[data-source='true rate']")).ToBeVisibleAsync();
        await LawPagesTests.ShotAsync(page, "sweep-finished");
        await Accessibility.AssertCleanAsync(page, "entropy sweep page");
    }

    [Fact]
    public async Task OneClickGeneratesTheDatasetsAndQueuesTheStudiesThenShowsTheRunsWaiting()
    {
        var page = await OpenAsync("/sweeps");
        await MudInputs.FillAsync(page, "sweep-rates", "1, 2, 3");
        await MudInputs.FillAsync(page, "sweep-users", "40");
        await MudInputs.FillAsync(page, "sweep-items", "30");
        await page.Locator("#run-sweep").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/sweeps/\d+$"));
        // The worker is off in this dashboard: the 3 × 4 runs stay queued, and the chart waits for finished runs.
        await Assertions.Expect(page.Locator("#sweep-runs")).ToContainTextAsync("Runs done: 0 of 12", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("#sweep-report-pending")).ToContainTextAsync("at least three datasets");
        await Assertions.Expect(page.Locator("#sweep-runs a")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task BadParametersAreNamedAndNothingIsStarted()
    {
        var page = await OpenAsync("/sweeps");
        await MudInputs.FillAsync(page, "sweep-rates", "2, 3");
        await page.Locator("#run-sweep").ClickAsync();
        await Assertions.Expect(page.Locator("#sweep-problems")).ToContainTextAsync("rates: give at least three");
        Assert.EndsWith("/sweeps", page.Url);
    }

    [Fact]
    public async Task AnUnknownSweepSaysSo()
    {
        var page = await OpenAsync("/sweeps/9999");
        await Assertions.Expect(page.Locator("#sweep-missing")).ToContainTextAsync("There is no entropy sweep 9999");
    }
}
