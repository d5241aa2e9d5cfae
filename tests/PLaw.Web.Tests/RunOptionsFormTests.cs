using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The New run form is made from the run options' declarations: a field per option that takes part, the rare ones
/// under "More options", each queued as set — in headless Chromium against the real dashboard and its registry file.</summary>
public sealed class RunOptionsFormTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private static readonly RunOptions Defaults = new();

    private static async Task OpenMoreOptionsAsync(IPage page)
    {
        await page.Locator("#run-more-options .mud-expand-panel-header").ClickAsync();
        await Assertions.Expect(page.Locator("#run-warmup")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task EveryOptionThatTakesPartHasALabelledFieldShowingItsDefault()
    {
        var page = await dashboard.OpenAsync("/runs/new");
        await OpenMoreOptionsAsync(page);
        var taking = RunOptionCatalog.All.Where(o => o.AppliesTo(Defaults)).ToList();
        var notTaking = RunOptionCatalog.All.Where(o => !o.AppliesTo(Defaults)).ToList();
        Assert.NotEmpty(notTaking);
        foreach (var o in taking)
        {
            var input = page.Locator($"#run-{o.Key}");
            await Assertions.Expect(input).ToHaveCountAsync(1);
            if (o.Kind == OptionKind.Switch)
                await Assertions.Expect(page.Locator($"[data-field={o.Key}] input[type=checkbox]")).Not.ToBeCheckedAsync();
            else
            {
                await Assertions.Expect(page.Locator($"label[for=run-{o.Key}]")).ToHaveCountAsync(1);
                if (o.Kind is OptionKind.Whole or OptionKind.Real && !o.Optional)
                    await Assertions.Expect(input).ToHaveValueAsync(Convert.ToString(o.Get(Defaults), CultureInfo.InvariantCulture)!);
            }
            var inMore = await page.Locator($"#run-more-options [data-field={o.Key}]").CountAsync() == 1;
            Assert.True(inMore == o.Advanced, $"{o.Flag}: advanced {o.Advanced}, under More options {inMore}");
        }
        foreach (var o in notTaking) await Assertions.Expect(page.Locator($"#run-{o.Key}")).ToHaveCountAsync(0);
        await Accessibility.AssertCleanAsync(page, "the new-run form with More options open");

        // Sampled softmax brings its negatives and temperature; BCE takes them away again.
        await MudInputs.ChooseAsync(page, "run-loss", "sampled softmax");
        await Assertions.Expect(page.Locator("#run-negatives")).ToHaveValueAsync(Defaults.Negatives.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#run-more-options #run-temperature")).ToHaveCountAsync(1);
        await MudInputs.ChooseAsync(page, "run-loss", "BCE");
        await Assertions.Expect(page.Locator("#run-negatives")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AFoldedOptionIsCheckedBesideItsFieldAndQueuedAsSet()
    {
        var page = await dashboard.OpenAsync("/runs/new");
        await MudInputs.FillAsync(page, ("run-layers", "2"), ("run-dim", "8"), ("run-max-len", "20"), ("run-epochs", "1"), ("run-eval-every", "1"));
        await OpenMoreOptionsAsync(page);

        await MudInputs.FillAsync(page, "run-layer-dropout", "0.5, x");
        await Assertions.Expect(page.Locator("#run-layer-dropout-parse-problem")).ToContainTextAsync("'x' is not a number.");
        await MudInputs.FillAsync(page, "run-layer-dropout", "0.3");
        await Assertions.Expect(page.Locator("#run-layer-dropout-parse-problem")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-field=layer-dropout] #run-layer-dropout-problem")).ToContainTextAsync("LayerDropout has 1 rates for 2 layers.");
        await MudInputs.FillAsync(page, "run-layer-dropout", "0.3,0.1");
        await Assertions.Expect(page.Locator("#run-layer-dropout-problem")).ToHaveCountAsync(0);
        await MudInputs.FillAsync(page, "run-eps", "5");
        await Assertions.Expect(page.Locator("[data-field=eps] #run-eps-problem")).ToContainTextAsync("Epsilon must be in (0, 1] (got 5).");
        await MudInputs.FillAsync(page, "run-eps", "0.000001");
        await MudInputs.FillAsync(page, "run-warmup", "7");
        await page.Locator("[data-field=cosine] input[type=checkbox]").CheckAsync();
        await Assertions.Expect(page.Locator("#run-min-lr")).ToHaveCountAsync(1); // takes part once cosine decay is on
        await MudInputs.FillAsync(page, "run-min-lr", "0.0001");
        await Assertions.Expect(page.Locator(".run-field-problem")).ToHaveCountAsync(0);

        await page.Locator("#queue-run").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var runId = int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);
        var stored = JsonNode.Parse(RegistryFile.Scalar<string>(dashboard.Server.RegistryPath, $"SELECT OptionsJson FROM Runs WHERE Id = {runId}"))!;
        Assert.Equal(7, (int)stored["warmupSteps"]!);
        Assert.True((bool)stored["cosineDecay"]!);
        Assert.Equal(0.0001, (double)stored["minLearningRate"]!);
        Assert.Equal([0.3, 0.1], stored["layerDropout"]!.AsArray().Select(n => (double)n!));
        Assert.Equal(8, (int)stored["dim"]!);
        Assert.Equal(1e-6, (double)stored["epsilon"]!);
    }
}
