using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The Run page's Challenges section: computed on demand from a finished run's checkpoint, with progress, in Chromium.</summary>
public sealed class ChallengesPanelTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private ServiceProvider Registry() => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();

    [Fact]
    public async Task AFinishedRunShowsEveryChallengeWithNumbers()
    {
        int runId;
        await using (var services = Registry())
        {
            var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                       ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
            var options = new RunOptions { Layers = 1, Dim = 16, MaxLength = 20, Epochs = 1, BatchSize = 64, Threads = 2, NewUserShare = 0.2 };
            runId = (await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id, options)).Id;
        }
        await RegistryFile.WaitUntilAsync(
            () => RegistryFile.Scalar<string>(dashboard.Server.RegistryPath, $"SELECT Status FROM Runs WHERE Id = {runId}") == "Completed",
            TimeSpan.FromMinutes(5), $"run {runId} to complete");

        var page = await dashboard.OpenAsync($"/runs/{runId}");
        var section = page.Locator("#challenges");
        await Assertions.Expect(section).ToHaveAttributeAsync("data-state", "idle");
        await page.Locator("#challenges-compute").ClickAsync();
        await Assertions.Expect(section).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 180_000 });

        await Assertions.Expect(page.Locator("#challenge-longtail tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#challenge-coldstart tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#challenge-robustness tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("#challenge-trajectory-positions tbody tr")).ToHaveCountAsync(2);
        var tr = await page.Locator("#challenge-trajectory").GetAttributeAsync("data-tr");
        Assert.True(double.TryParse(tr, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value), $"TR@10 is '{tr}'");
        Assert.InRange(value, 0, 1);
        Assert.Contains("held out of training", await page.Locator("#challenges").InnerTextAsync(), StringComparison.Ordinal);
        await Accessibility.AssertCleanAsync(page, "the run's challenges");
    }
}
