using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The multi-domain challenge on the Run page (a synthetic multi-domain run beside one without domains), and item domains
/// given to the import form, in Chromium.
/// </summary>
public sealed class MultiDomainChallengeTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private ServiceProvider Registry() => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();

    private static readonly MarkovOptions Small = new(Users: 300, Items: 60, Concentration: 0.5, MinLength: 10, MaxLength: 30, Seed: 8);

    private async Task<int> QueueOnAsync(ServiceProvider services, string name, MultiDomainOptions? domains)
    {
        var data = MarkovSequenceGenerator.Generate(Small, domains);
        var catalog = services.GetRequiredService<DatasetCatalog>();
        var dataset = await catalog.StoreAsync(name, "synthetic", "synthetic", "{}", "{}", data.Sequences);
        var options = new RunOptions { Layers = 1, Dim = 16, MaxLength = 20, Epochs = 1, BatchSize = 64, Threads = 2, NewUserShare = 0.2 };
        return (await services.GetRequiredService<RunCatalog>().QueueAsync(dataset.Id, options)).Id;
    }

    private async Task<IPage> ComputeAsync(int runId)
    {
        await RegistryFile.WaitUntilAsync(
            () => RegistryFile.Scalar<string>(dashboard.Server.RegistryPath, $"SELECT Status FROM Runs WHERE Id = {runId}") == "Completed",
            TimeSpan.FromMinutes(5), $"run {runId} to complete");
        var page = await dashboard.OpenAsync($"/runs/{runId}");
        await Assertions.Expect(page.Locator("#challenges")).ToHaveAttributeAsync("data-state", "idle");
        await page.Locator("#challenges-compute").ClickAsync();
        await Assertions.Expect(page.Locator("#challenges")).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 180_000 });
        return page;
    }

    private static async Task<long> UsersAsync(IPage page, string cls) =>
        long.Parse(await page.Locator($"#challenge-multidomain tr[data-class='{cls}']").GetAttributeAsync("data-users") ?? "-1");

    [Fact]
    public async Task AMultiDomainRunShowsAllFiveChallengesAndAPlainRunSaysItHasNoDomains()
    {
        int multi, plain;
        await using (var services = Registry())
        {
            multi = await QueueOnAsync(services, "md-web", new MultiDomainOptions(3, 0.3));
            plain = await QueueOnAsync(services, "plain-web", null);
        }

        var page = await ComputeAsync(multi);
        await Assertions.Expect(page.Locator("#challenge-longtail tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#challenge-coldstart tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#challenge-robustness tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("#challenge-trajectory-positions tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#challenge-multidomain tbody tr")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#challenge-multidomain-domains")).ToHaveTextAsync("3 domains: D1, D2, D3.");
        await Assertions.Expect(page.Locator("#challenge-multidomain-unavailable")).ToHaveCountAsync(0);
        var all = await UsersAsync(page, "All");
        Assert.Equal(240, all); // 300 users, 60 held out as new users
        Assert.Equal(all, await UsersAsync(page, "Mix-domain") + await UsersAsync(page, "Single-domain"));
        Assert.Equal(all, await UsersAsync(page, "Diff-domain") + await UsersAsync(page, "Same-domain"));
        Assert.InRange(await UsersAsync(page, "Diff-domain"), 1, all - 1);
        await Assertions.Expect(page.Locator("#challenges")).ToContainTextAsync("Diff-domain: the test item's domain differs");
        await Accessibility.AssertCleanAsync(page, "the multi-domain challenge");

        var bare = await ComputeAsync(plain);
        await Assertions.Expect(bare.Locator("#challenge-multidomain-title")).ToBeVisibleAsync();
        await Assertions.Expect(bare.Locator("#challenge-multidomain-unavailable")).ToContainTextAsync("This dataset has no item domains");
        await Assertions.Expect(bare.Locator("#challenge-multidomain")).ToHaveCountAsync(0);
        await Assertions.Expect(bare.Locator("#challenge-longtail tbody tr")).ToHaveCountAsync(4);
    }

    [Fact]
    public async Task TheImportFormTakesAnItemDomainsFileAndNamesItsBadLine()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "md.data"), "1\t10\t5\t100\n1\t20\t4\t101\n2\t10\t5\t102\n2\t30\t3\t103\n");
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "md-domains.tsv"), "item\tdomain\n10\tbooks\n20\tmusic\n30\tbooks\n");
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "md-bad.tsv"), "10\tbooks\n20 music\n");
        var page = await dashboard.OpenAsync("/datasets");

        async Task ImportAsync(string name, string domains)
        {
            await MudInputs.FillAsync(page, "dataset-name", name);
            await MudInputs.FillAsync(page, "item-domains", domains);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
            await MudInputs.FillAsync(page, "server-path", "md.data");
            await page.Locator("#import-path").ClickAsync();
        }

        await ImportAsync("md-form", "md-domains.tsv");
        await Assertions.Expect(ImportJobRow.Of(page, "md-form").Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        var statistics = RegistryFile.Scalar<string>(dashboard.Server.RegistryPath, "SELECT StatisticsJson FROM Datasets WHERE Name = 'md-form'");
        Assert.Contains("\"domains\":2", statistics, StringComparison.Ordinal);

        await ImportAsync("md-form-bad", "md-bad.tsv");
        var failed = ImportJobRow.Of(page, "md-form-bad");
        await Assertions.Expect(failed.Locator(".import-status")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Assertions.Expect(failed.Locator(".import-error-text")).ToContainTextAsync("md-bad.tsv:2");

        await ImportAsync("md-form-outside", "../../../../etc/passwd");
        await Assertions.Expect(page.Locator(".item-domains-field .mud-input-helper-text")).ToContainTextAsync("outside the import root");
        await Assertions.Expect(ImportJobRow.Of(page, "md-form-outside")).ToHaveCountAsync(0);
    }
}
