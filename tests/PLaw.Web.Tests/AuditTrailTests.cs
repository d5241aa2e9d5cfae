using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The audit trail (issue #11): queuing and cancelling a run from its pages, and deleting and restoring a dataset, each leave an
/// entry naming who did it (<c>local</c> in local mode), shown newest first in the History section of the run and dataset pages,
/// on /audit, and in /api/audit.csv|json. The dashboard trains nothing, so the queued run stays queued until it is cancelled.
/// </summary>
public sealed class AuditTrailTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task QueueCancelDeleteAndRestoreAreRecordedNewestFirstWithWhoDidThem()
    {
        await using var server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();

        // Queue a run with the form's defaults (on the demo dataset), then cancel it from its page.
        await page.GotoAsync("/runs/new");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#queue-run").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"));
        var runId = int.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var history = page.Locator("#audit-trail .audit-row");
        await Assertions.Expect(history).ToHaveCountAsync(1);
        await page.Locator("#cancel-run").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Assertions.Expect(history).ToHaveCountAsync(2);
        await Assertions.Expect(history.Nth(0).Locator(".audit-action")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(history.Nth(1).Locator(".audit-action")).ToHaveTextAsync("queued");
        await Assertions.Expect(history.Nth(0).Locator(".audit-actor")).ToHaveTextAsync("local");
        await Assertions.Expect(history.Nth(1).Locator(".audit-actor")).ToHaveTextAsync("local");
        Assert.Equal(2L, RegistryFile.Scalar<long>(server.RegistryPath,
            $"SELECT COUNT(*) FROM AuditEntries WHERE SubjectKind = 'run' AND SubjectId = {runId} AND Actor = 'local'"));

        // Delete the demo dataset (its run is cancelled now), then restore it.
        var demoId = RegistryFile.Scalar<long>(server.RegistryPath, "SELECT Id FROM Datasets WHERE Name = 'demo-markov'");
        await page.GotoAsync("/datasets");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("button[aria-label='Delete demo-markov']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.Locator("button[aria-label='Restore demo-markov']").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Restored demo-markov" })).ToBeVisibleAsync();

        await page.GotoAsync($"/datasets/{demoId}");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var datasetHistory = page.Locator("#audit-trail .audit-row");
        await Assertions.Expect(datasetHistory).ToHaveCountAsync(2);
        await Assertions.Expect(datasetHistory.Nth(0).Locator(".audit-action")).ToHaveTextAsync("restored");
        await Assertions.Expect(datasetHistory.Nth(1).Locator(".audit-action")).ToHaveTextAsync("deleted");
        await Assertions.Expect(datasetHistory.Nth(1).Locator(".audit-detail")).ToContainTextAsync("1 run trained on it");

        // The whole trail, filtered to the run, and the exports of the run's entries.
        await page.GotoAsync($"/audit?kind=run&id={runId}");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#audit-page-trail .audit-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#audit-export-csv")).ToHaveAttributeAsync("href", $"/api/audit.csv?run={runId}");
        await page.GotoAsync("/audit?action=deleted");
        await Assertions.Expect(page.Locator("#audit-page-trail .audit-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#audit-page-trail .audit-subject a")).ToHaveAttributeAsync("href", $"/datasets/{demoId}");

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var csv = await http.GetStringAsync($"/api/audit.csv?run={runId}");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("cancelled", lines[1]);
        Assert.Contains("queued", lines[2]);
        using var json = JsonDocument.Parse(await http.GetStringAsync($"/api/audit.json?dataset={demoId}"));
        var actions = json.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["restored", "deleted"], actions);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/api/audit.json?run={runId}&dataset={demoId}")).StatusCode);
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(false, 1280)]
    [InlineData(true, 1280)]
    [InlineData(false, 390)]
    public async Task TheAuditPageIsAccessibleInBothSchemesAndAtPhoneWidth(bool dark, int width)
    {
        var page = await dashboard.OpenAsync("/audit", dark, width);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Audit trail");
        await Accessibility.AssertCleanAsync(page, $"/audit ({(dark ? "dark" : "light")}, {width} px)");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "The audit page scrolls sideways at this width.");
        await page.Context.CloseAsync();
    }
}
