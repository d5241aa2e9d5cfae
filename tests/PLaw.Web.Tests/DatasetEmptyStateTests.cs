using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>A dashboard whose registry holds no dataset (no demo seeded) and whose import root is empty: the pages say what to do.</summary>
public sealed class DatasetEmptyStateTests : IAsyncLifetime
{
    private readonly BrowserFixture browser = new();
    private DashboardServer server = default!;

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__SeedDemoData"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        if (server is not null) await server.DisposeAsync();
    }

    private Task<IPage> OpenAsync(string path, bool dark = false) => browser.OpenAsync(server.BaseUrl, path, dark, height: 720);

    [Fact]
    public async Task WithNoDatasetsThePageSaysHowToImportOne()
    {
        var page = await OpenAsync("/datasets");
        var empty = page.Locator("#no-datasets");
        await Assertions.Expect(empty).ToContainTextAsync("No datasets yet.");
        await Assertions.Expect(empty).ToContainTextAsync("choose a file and press Import");
        await Assertions.Expect(empty).ToContainTextAsync("plaw import");
        await Assertions.Expect(page.Locator("#import-jobs")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await Assertions.Expect(page.Locator("#no-server-files")).ToContainTextAsync("Copy interaction logs into");
        await Assertions.Expect(page.Locator("#no-server-files")).ToContainTextAsync(server.ImportRoot);
        await Accessibility.AssertCleanAsync(page, "the empty datasets page");
    }

    [Fact]
    public async Task AFileInTheImportRootIsOfferedToPick()
    {
        Directory.CreateDirectory(server.ImportRoot);
        File.WriteAllText(Path.Combine(server.ImportRoot, "offered.data"), "1\t10\t5\t100\n1\t11\t4\t101\n");
        var page = await OpenAsync("/datasets");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await page.Locator(".server-files .mud-chip", new() { HasText = "offered.data" }).ClickAsync();
        await Assertions.Expect(page.Locator("#server-path")).ToHaveValueAsync("offered.data");
        File.Delete(Path.Combine(server.ImportRoot, "offered.data"));
    }
}
