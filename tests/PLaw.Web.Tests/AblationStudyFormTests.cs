using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The New study form's HSTU ablations list: a bad set is refused beside the field, a good one crosses the HSTU
/// runs with the sizes (the grid's size says so) and the queued runs are named apart.</summary>
public sealed class AblationStudyFormTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task TheAblationsListCrossesTheHstuRunsWithTheSizes()
    {
        await using var server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/studies/new");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await MudInputs.FillAsync(page, "study-name", "ablation-form");
        await MudInputs.FillAsync(page, "grid-models", "sasrec, hstu");
        await MudInputs.FillAsync(page, "grid-layers", "1");
        await MudInputs.FillAsync(page, "grid-dims", "8, 16");
        await MudInputs.FillAsync(page, "grid-ablations", "none, ffn");
        var field = page.Locator(".mud-input-control:has(#grid-ablations)");
        await Assertions.Expect(field).ToContainTextAsync("'ffn' is not an ablation set");

        await MudInputs.FillAsync(page, "grid-ablations", "none, rab, silu+gate");
        await Assertions.Expect(field).Not.ToContainTextAsync("not an ablation set");
        // SASRec 2 sizes, HSTU 2 sizes × 3 ablation sets.
        await Assertions.Expect(page.Locator("#grid-size")).ToHaveTextAsync("8 runs.");
        await page.Locator("#create-study").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/runs\?study=\d+$"));
        var names = RegistryFile.Strings(server.RegistryPath, "SELECT Name FROM Runs ORDER BY Name");
        Assert.Equal(8, names.Count);
        Assert.Contains("hstu-no-silu-no-gate-l1-d16-h1-len50-bce-fp32-s42", names);
        Assert.Equal(2, names.Count(n => n.StartsWith("sasrec-l1-", StringComparison.Ordinal)));
    }
}
