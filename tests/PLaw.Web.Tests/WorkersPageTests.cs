using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Workers;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The Workers page (issue #15): every worker of the registry with its host, devices, heartbeat age, state (live, lost,
/// stopped) and current runs linked to their pages; it follows workers in other processes on its own, keeps its filters in
/// the address, and is accessible in both colour schemes.
/// </summary>
public sealed class WorkersPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(10);

    private static ServiceProvider Registry(DashboardServer server) => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(server.RegistryPath).BuildServiceProvider();

    /// <summary>A worker on <paramref name="host"/> registered by this test process, as <c>plaw worker</c> on that host would be.</summary>
    private static async Task<RunHolder> RegisterAsync(IServiceProvider services, string host, params string[] devices)
    {
        var holder = new RunHolder($"{host}/4242/{Guid.NewGuid().ToString("N")[..8]}", $"{host}/4242", LongLease);
        var record = WorkerRecord.ForThisProcess(holder, devices, Math.Max(devices.Length, 1));
        record.Host = host;
        await services.GetRequiredService<WorkerRegistry>().RegisterAsync(record, LongLease);
        return holder;
    }

    [Fact]
    public async Task WorkersShowTheirStateDevicesAndRunsAndThePageFollowsThemAndItsAddress()
    {
        await using var server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        await using var services = Registry(server);
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var catalog = services.GetRequiredService<RunCatalog>();
        var gpu = await RegisterAsync(services, "gpu-box", "cuda:0", "cuda:1");
        var lost = await RegisterAsync(services, "old-box");
        var laptop = await RegisterAsync(services, "laptop");
        var run = await catalog.QueueAsync(demo.Id, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 3 });
        Assert.Equal(run.Id, (await catalog.ClaimNextAsync(gpu))!.Id);
        // old-box was killed two minutes ago: its last heartbeat is that old, its lease long over.
        await using (var db = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext())
        {
            var then = DateTime.UtcNow.AddMinutes(-2);
            await db.Workers.Where(w => w.Id == lost.WorkerId)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.HeartbeatUtc, then).SetProperty(w => w.LeaseExpiresUtc, then.AddSeconds(30)));
        }
        await services.GetRequiredService<WorkerRegistry>().StopAsync(laptop.WorkerId);

        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/workers");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        ILocator Row(RunHolder h) => page.Locator($"tr.worker-row[data-worker-id='{h.WorkerId}']");
        await Assertions.Expect(page.Locator("tr.worker-row")).ToHaveCountAsync(3);
        await Assertions.Expect(Row(gpu)).ToHaveAttributeAsync("data-state", "live");
        await Assertions.Expect(Row(gpu).Locator(".worker-host")).ToHaveTextAsync("gpu-box");
        await Assertions.Expect(Row(gpu).Locator(".worker-devices")).ToHaveTextAsync("cuda:0, cuda:1");
        await Assertions.Expect(Row(gpu).Locator(".worker-state")).ToHaveTextAsync("live");
        await Assertions.Expect(Row(lost)).ToHaveAttributeAsync("data-state", "lost");
        await Assertions.Expect(Row(lost).Locator(".worker-heartbeat")).ToHaveTextAsync(new Regex(@"^[2-9] min ago$"));
        await Assertions.Expect(Row(laptop)).ToHaveAttributeAsync("data-state", "stopped");
        await Assertions.Expect(page.Locator("tr.worker-row").First).ToHaveAttributeAsync("data-worker-id", gpu.WorkerId);   // live first
        await Assertions.Expect(page.Locator("#workers-summary")).ToHaveTextAsync("1 live worker on 1 host, 1 run training; 1 lost, 1 stopped.");
        var link = Row(gpu).Locator($"a.worker-run[data-run-id='{run.Id}']");
        await Assertions.Expect(link).ToHaveAttributeAsync("href", $"/runs/{run.Id}");
        await Assertions.Expect(Row(laptop).Locator("a.worker-run")).ToHaveCountAsync(0);

        // Workers in other processes change only in the registry: the open page follows them without a reload.
        await services.GetRequiredService<WorkerRegistry>().StopAsync(gpu.WorkerId);
        var fresh = await RegisterAsync(services, "new-box", "cuda:0");
        await Assertions.Expect(Row(gpu)).ToHaveAttributeAsync("data-state", "stopped");
        await Assertions.Expect(Row(fresh)).ToHaveAttributeAsync("data-state", "live");
        await Assertions.Expect(page.Locator("#workers-summary")).ToHaveTextAsync("1 live worker on 1 host, 0 runs training; 1 lost, 2 stopped.");
        await Assertions.Expect(link).ToHaveCountAsync(0);    // a stopped worker released its run
        var next = await catalog.QueueAsync(demo.Id, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 3, Seed = 2 });
        Assert.Equal(next.Id, (await catalog.ClaimNextAsync(fresh))!.Id);
        var nextLink = Row(fresh).Locator($"a.worker-run[data-run-id='{next.Id}']");
        await Assertions.Expect(nextLink).ToHaveTextAsync($"{next.Id} · {next.Name}");

        // A current run links to its page.
        await nextLink.ClickAsync();
        await page.WaitForURLAsync(new Regex($@"/runs/{next.Id}$"));
        await page.GotoAsync("/workers");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("tr.worker-row")).ToHaveCountAsync(4);

        // Filters live in the address: chosen on the page, and shared as a link.
        await MudInputs.ChooseAsync(page, "workers-state", "lost");
        await page.WaitForURLAsync(new Regex(@"/workers\?state=lost$"));
        await Assertions.Expect(page.Locator("tr.worker-row")).ToHaveCountAsync(1);
        await Assertions.Expect(Row(lost)).ToBeVisibleAsync();
        var shared = await context.NewPageAsync();
        await shared.GotoAsync("/workers?state=stopped&host=laptop");
        await shared.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(shared.Locator("tr.worker-row")).ToHaveCountAsync(1);
        await Assertions.Expect(shared.Locator($"tr.worker-row[data-worker-id='{laptop.WorkerId}']")).ToBeVisibleAsync();
        await shared.GotoAsync("/workers?state=live&host=laptop");
        await Assertions.Expect(shared.Locator("#workers-empty")).ToContainTextAsync("No worker matches.");

        // A lost worker that heartbeats again is live again.
        await services.GetRequiredService<WorkerRegistry>().HeartbeatAsync(lost.WorkerId, LongLease);
        await page.GotoAsync("/workers?host=old-box");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(Row(lost)).ToHaveAttributeAsync("data-state", "live");
        await context.CloseAsync();
    }

    [Fact]
    public async Task TheDashboardsOwnWorkerIsListedLive()
    {
        var page = await dashboard.OpenAsync("/workers");
        var own = page.Locator("tr.worker-row", new() { HasText = "dashboard" });
        await Assertions.Expect(own).ToHaveCountAsync(1);
        await Assertions.Expect(own).ToHaveAttributeAsync("data-state", "live");
        await Assertions.Expect(own.Locator(".worker-host")).ToHaveTextAsync(Environment.MachineName);
        await Assertions.Expect(own.Locator(".worker-backends")).ToContainTextAsync(TrainingBackends.Native);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(false, 1280)]
    [InlineData(true, 1280)]
    [InlineData(false, 390)]
    public async Task TheWorkersPageIsAccessibleInBothSchemesAndAtPhoneWidth(bool dark, int width)
    {
        var page = await dashboard.OpenAsync("/workers", dark, width);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Workers");
        await Assertions.Expect(page.Locator("tr.worker-row[data-state='live']")).Not.ToHaveCountAsync(0);
        await Accessibility.AssertCleanAsync(page, $"/workers ({(dark ? "dark" : "light")}, {width} px)");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "The workers page scrolls sideways at this width.");
        await page.Context.CloseAsync();
    }
}
