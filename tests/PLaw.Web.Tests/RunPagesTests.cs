using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>Studies, live runs, cancel and shared run links in headless Chromium against the real dashboard and its registry file.</summary>
public sealed class RunPagesTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private T Scalar<T>(string sql) => RegistryFile.Scalar<T>(dashboard.Server.RegistryPath, sql);

    [Fact]
    public async Task AStudyTrainsLiveCanBeCancelledAndItsRunLinkReproducesTheView()
    {
        var page = await dashboard.OpenAsync("/studies/new");
        await page.Locator("input[name=study-name]").FillAsync("live-study");
        await page.Locator("input[name=grid-models]").FillAsync("sasrec");
        await page.Locator("input[name=grid-layers]").FillAsync("1");
        await page.Locator("input[name=grid-dims]").FillAsync("8,16");
        await RadzenInputs.FillAsync(page, "epochs", "400");
        await page.Locator("#create-study").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs\?study=\d+"));
        var studyId = Scalar<long>("SELECT Id FROM Studies WHERE Name = 'live-study'");
        Assert.Equal(2L, Scalar<long>($"SELECT COUNT(*) FROM Runs WHERE StudyId = {studyId}"));

        // The first run starts; its row turns "running" without a reload.
        var runningRow = page.Locator("#runs-table tr[data-status=running]");
        await Assertions.Expect(runningRow).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        var runId = int.Parse(await runningRow.GetAttributeAsync("data-run-id") ?? "0");
        await runningRow.Locator("a.run-link").ClickAsync();
        await page.WaitForURLAsync($"**/runs/{runId}");

        // The loss chart receives new points while we watch, appended in place.
        await page.EvaluateAsync("window.plawSamePage = true");
        var chart = page.Locator("[data-chart=loss]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-appended", new Regex("^([3-9]|\\d{2,})$"), new() { Timeout = 60_000 });
        var before = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0");
        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-points", before.ToString(), new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.plawSamePage === true"), "The page reloaded instead of updating live.");
        Assert.True(await page.EvaluateAsync<int>("(window.plawLatencies || []).length") > 0);

        await page.Locator("#cancel-run").ClickAsync();
        await Assertions.Expect(page.Locator("h1 + .run-status, .run-status").First).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });
        Assert.Equal("Cancelled", Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}"));
        var stored = Scalar<long>($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {runId} AND Split = 'train' AND Name = 'loss'");
        Assert.True(File.Exists(Path.Combine(dashboard.Server.DataDirectory, "runs", $"run-{runId}", "checkpoint.bin")));

        // Change the view; the URL carries it, and a second person opening it sees the same.
        await RadzenInputs.ChooseAsync(page, "x", "epoch");
        await page.WaitForURLAsync(new Regex("x=epoch"));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", stored.ToString());
        var shared = page.Url[dashboard.Server.BaseUrl.Length..];
        var second = await dashboard.OpenAsync(shared);
        await Assertions.Expect(second.Locator("#run-title")).ToHaveTextAsync(await page.Locator("#run-title").InnerTextAsync());
        await Assertions.Expect(second.Locator("input[name=x]")).ToHaveValueAsync("epoch");
        await Assertions.Expect(second.Locator("[data-chart=loss]")).ToHaveAttributeAsync("data-points", stored.ToString());
        await Assertions.Expect(second.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "cancelled");

        // The study's other run is next in the queue; cancel it too so the server is idle for the other tests.
        var other = Scalar<long>($"SELECT Id FROM Runs WHERE StudyId = {studyId} AND Id <> {runId}");
        var otherPage = await dashboard.OpenAsync($"/runs/{other}");
        await otherPage.Locator("#cancel-run").ClickAsync();
        await RegistryFile.WaitUntilAsync(() => Scalar<string>($"SELECT Status FROM Runs WHERE Id = {other}") == "Cancelled",
            TimeSpan.FromSeconds(30), $"run {other} to be cancelled");
    }

    [Fact]
    public async Task ABadCombinationIsRefusedBeforeAnythingIsQueued()
    {
        var runs = Scalar<long>("SELECT COUNT(*) FROM Runs");
        var page = await dashboard.OpenAsync("/runs/new");
        await RadzenInputs.ChooseAsync(page, "model", "Llama");
        await RadzenInputs.FillAsync(page, "dim", "30");
        await RadzenInputs.FillAsync(page, "heads", "2");   // head size 15: rotary embeddings need it even
        await page.Locator("#queue-run").ClickAsync();
        await Assertions.Expect(page.Locator("#run-problems")).ToContainTextAsync("even head size");
        Assert.Equal(runs, Scalar<long>("SELECT COUNT(*) FROM Runs"));
        Assert.EndsWith("/runs/new", page.Url);
    }

    [Fact]
    public async Task RunsExportStreamsCsvAndJson()
    {
        using var http = new HttpClient();
        var csv = await http.GetStringAsync($"{dashboard.Server.BaseUrl}/api/runs.csv");
        Assert.StartsWith("id,name,study,dataset,model,layers,dim", csv);
        Assert.Equal(Scalar<long>("SELECT COUNT(*) FROM Runs") + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var json = await http.GetStringAsync($"{dashboard.Server.BaseUrl}/api/runs.json");
        Assert.StartsWith("[", json);
        var missing = await http.GetAsync($"{dashboard.Server.BaseUrl}/api/runs/987654");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
