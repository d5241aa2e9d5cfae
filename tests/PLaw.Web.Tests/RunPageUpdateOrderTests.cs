using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The Run page applies live updates in the order they came. One update can wait on the browser (its loss points go to the
/// chart through JS interop); a run state that arrives meanwhile must not be overwritten by that update's older state when the
/// browser answers. Found by CI: a run trained by a worker on another host ended "completed" in the registry and stayed
/// "running" on a dashboard page.
/// </summary>
public sealed class RunPageUpdateOrderTests : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();

    public Task InitializeAsync() => browser.InitializeAsync();

    public Task DisposeAsync() => browser.DisposeAsync();

    [Fact]
    public async Task ACompletionThatArrivesWhileTheBrowserIsBusyIsNotUndoneByTheOlderRunningState()
    {
        await using var dashboard = await WorkerlessDashboard.StartAsync();
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(RegistryConnection.SqliteFile(dashboard.RegistryPath)).BuildServiceProvider();
        var catalog = services.GetRequiredService<RunCatalog>();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var queued = await catalog.QueueAsync(demo.Id, new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 2, EvalEvery = 1 });

        var page = await browser.OpenAsync(dashboard.BaseUrl, $"/runs/{queued.Id}");
        var status = page.Locator(".run-status").First;
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "queued");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-chart=loss]')?.dataset.points !== undefined");

        // The browser's thread is busy for a few seconds, as on a slow laptop: the page's append of the first loss point waits
        // for it, and the run's completion comes in while it waits.
        await page.EvaluateAsync("() => setTimeout(() => { const end = Date.now() + 6000; while (Date.now() < end) { } }, 0)");
        var holder = new RunHolder("elsewhere/1/feed", "elsewhere/1", TimeSpan.FromMinutes(5));
        Assert.Equal(queued.Id, (await catalog.ClaimNextAsync(holder))?.Id);
        await services.GetRequiredService<MetricStore>().AppendAsync(queued.Id,
            [new MetricPoint(MetricSplits.Train, "loss", 1, 1, 0.9, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())]);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await catalog.UpdateAsync(queued.Id, r => (r.Status, r.EpochsDone, r.StepsDone, r.FinishedUtc) = (RunStatus.Completed, 2, 2, DateTime.UtcNow));

        // Well after the browser is free again: by then the page shows the run as the registry has it.
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 20_000 });
        await Task.Delay(TimeSpan.FromSeconds(4));
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "completed");
        await Assertions.Expect(page.Locator("[data-chart=loss]")).ToHaveAttributeAsync("data-points", "1");
    }
}
