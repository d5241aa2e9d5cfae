using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// Issue #15, live from anywhere: a run trained by a <c>plaw worker</c> process (not by the dashboard, whose own worker is off)
/// streams into the Run page's loss chart and progress bar in a browser, on a SQLite registry and on PostgreSQL; on PostgreSQL
/// two dashboards on the same database (as behind a load balancer, with no Redis between them) both stream it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrossProcessLiveFeedTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly RunOptions Watched = new() { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 2, EvalEvery = 1, BatchSize = 64, Threads = 1 };

    private readonly BrowserFixture browser = new();

    public Task InitializeAsync() => browser.InitializeAsync();

    public Task DisposeAsync() => browser.DisposeAsync();

    [Fact]
    public async Task ARunTrainedByAWorkerProcessStreamsIntoTheRunPageOnSqlite()
    {
        await using var dashboard = await WorkerlessDashboard.StartAsync();
        var registry = RegistryConnection.SqliteFile(dashboard.RegistryPath);
        await StreamsIntoAsync(registry, ["--data-dir", dashboard.DataDirectory], dashboard);
    }

    [Fact]
    public async Task ARunTrainedByAWorkerProcessStreamsIntoTwoDashboardsOnPostgres()
    {
        var database = await postgres.CreateDatabaseAsync();
        try
        {
            // One after the other: the first migrates the database and stores the demo dataset.
            await using var first = await WorkerlessDashboard.StartAsync(database);
            await using var second = await WorkerlessDashboard.StartAsync(database);
            var checkpoints = Directory.CreateTempSubdirectory("plaw-feed-worker-").FullName;
            try
            {
                await StreamsIntoAsync(new RegistryConnection(RegistryProvider.Postgres, database),
                    ["--data-dir", checkpoints, "--registry", database], first, second);
            }
            finally
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    /// <summary>Queues a run, opens its page on every dashboard while it is queued, has a worker process train it, and checks
    /// that each page drew every stored loss point by live appends and ends completed at full progress, without a reload.</summary>
    private async Task StreamsIntoAsync(RegistryConnection registry, IReadOnlyList<string> workerArguments, params DashboardServer[] dashboards)
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(registry).BuildServiceProvider();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var run = await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id, Watched);

        var pages = new List<IPage>();
        foreach (var dashboard in dashboards)
        {
            var page = await browser.OpenAsync(dashboard.BaseUrl, $"/runs/{run.Id}");
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "queued");
            await page.EvaluateAsync("window.plawSamePage = true");
            pages.Add(page);
        }

        await using var worker = new WorkerProcess(["worker", .. workerArguments, "--until-empty"]);
        Assert.True(await worker.ExitCodeAsync(TimeSpan.FromMinutes(3)) == 0, worker.Output);
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        var stored = await db.MetricPoints.CountAsync(p => p.RunId == run.Id && p.Split == MetricSplits.Train && p.Name == "loss");
        Assert.True(stored > 0, worker.Output);

        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            var which = $"dashboard {i + 1} of {pages.Count}";
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "completed");
            await Assertions.Expect(page.Locator("#run-progress")).ToHaveAttributeAsync("data-progress", "1");
            await Assertions.Expect(page.Locator("#run-epoch")).ToHaveTextAsync(Watched.Epochs.ToString(CultureInfo.InvariantCulture));
            try
            {
                await page.WaitForFunctionAsync(
                    "n => { const c = document.querySelector('[data-chart=loss]'); return !!c && Number(c.dataset.points) - Number(c.dataset.forecastPoints || 0) === n; }",
                    stored, new() { Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                var drawn = await page.EvaluateAsync<string>("() => { const c = document.querySelector('[data-chart=loss]'); return `${c?.dataset.points} (forecast ${c?.dataset.forecastPoints})`; }");
                Assert.Fail($"{which}: the loss chart draws {drawn} points; the registry stores {stored} loss points.\n{worker.Output}");
            }
            // Drawn by appends as the points came (the page opened with none), each timed: not by a reload.
            Assert.True(await page.EvaluateAsync<bool>("window.plawSamePage === true"), $"{which}: the page reloaded instead of updating live.");
            var appended = await page.EvaluateAsync<int>("() => Number(document.querySelector('[data-chart=loss]').dataset.appended || 0)");
            Assert.True(appended > 0, $"{which}: no live append reached the loss chart.");
            Assert.True(await page.EvaluateAsync<int>("(window.plawLatencies || []).length") > 0, $"{which}: no timed point reached the chart.");
        }
    }
}
