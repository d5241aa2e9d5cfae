using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The laws, optima and frameworks pages in headless Chromium against the real dashboard, on a study seeded into its registry
/// file whose metrics follow known performance laws (optimum 8 layers × width 64; HSTU scales better than SASRec, SASRec than LLaMA).
/// </summary>
public sealed class LawPagesTests(LawStudyFixture dashboard) : IClassFixture<LawStudyFixture>
{
    /// <summary>Chooses a MudBlazor select item and waits for the URL to carry it (once more if a re-render closed the popup first).</summary>
    internal static async Task ChooseAsync(IPage page, string inputId, string text, string expectedQuery)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MudInputs.ChooseAsync(page, inputId, text);
                await page.WaitForURLAsync(new Regex(Regex.Escape(expectedQuery)), new() { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Types into a field, leaves it, and waits for the URL to carry the value (once more if a re-render interfered).</summary>
    private static async Task FillAsync(IPage page, string inputId, string text, string expectedQuery)
    {
        for (var attempt = 1; ; attempt++)
        {
            await MudInputs.FillAsync(page, inputId, text);
            try
            {
                await page.WaitForURLAsync(new Regex(Regex.Escape(expectedQuery)), new() { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<double> NumberAsync(ILocator locator, string attribute = "data-value") =>
        double.Parse(await locator.GetAttributeAsync(attribute) ?? "NaN", CultureInfo.InvariantCulture);

    internal static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PLAW_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    private string Shared(IPage page) => page.Url[dashboard.Server.BaseUrl.Length..];

    [Fact]
    public async Task LawsPageRecoversTheGeneratingLawDrawsItAndItsLinkReproducesTheView()
    {
        var page = await dashboard.OpenAsync($"/laws?study={dashboard.StudyId}&family=hstu&metric=NDCG@10");
        var r2 = page.Locator("#fit-r2");
        await Assertions.Expect(r2).ToBeVisibleAsync();
        Assert.True(await NumberAsync(r2) > 0.999, $"R² {await r2.GetAttributeAsync("data-value")}");
        await Assertions.Expect(page.Locator("#fit-degenerate")).ToHaveCountAsync(0);   // a clean law carries no degenerate-fit warning
        // The family is named as the papers spell it, never by its registry key.
        await Assertions.Expect(page.Locator("#family")).ToHaveValueAsync("HSTU");
        await Assertions.Expect(page.Locator("#law-scope")).ToContainTextAsync("HSTU (fp32)");
        var (w1, w2) = LawStudySeed.WeightsOf(PLaw.Engine.Training.ModelFamily.Hstu, "NDCG@10");
        async Task<double> Parameter(string name) => await NumberAsync(page.Locator($"#law-parameters tr[data-parameter={name}]"));
        Assert.InRange(await Parameter("w1"), 0.95 * w1, 1.05 * w1);
        Assert.InRange(await Parameter("w2"), 0.9 * w2, 1.1 * w2);
        Assert.InRange(await Parameter("w3"), LawStudySeed.W3 - 0.02, LawStudySeed.W3 + 0.02);
        Assert.InRange(await Parameter("w4"), LawStudySeed.W4 - 0.02, LawStudySeed.W4 + 0.02);
        // Standard errors beside the estimates.
        await Assertions.Expect(page.Locator("#law-parameters tr[data-parameter=w1] td").Nth(2)).ToHaveTextAsync(new Regex(@"^± \d"));
        // One dataset: φ(D; w5) + b is one constant, so D, w5 and b are reported as not identifiable, in words.
        var d = page.Locator("#law-parameters tr[data-parameter=D]");
        await Assertions.Expect(d).ToHaveAttributeAsync("data-identifiable", "false");
        await Assertions.Expect(d).ToContainTextAsync("not identifiable");
        await Assertions.Expect(page.Locator("#one-dataset-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#residuals tbody tr")).ToHaveCountAsync(LawStudySeed.Layers.Length * LawStudySeed.Dims.Length);

        var heatmap = page.Locator("[data-chart=law-heatmap]");
        await Assertions.Expect(heatmap).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await Assertions.Expect(heatmap.Locator("canvas").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-chart-figure=law-heatmap] figcaption")).ToContainTextAsync("best cell is 8 layers × width 64");
        await Assertions.Expect(page.Locator("[data-chart=law-layers]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await ShotAsync(page, "laws-performance");

        // The scaling law over non-embedding parameters, chosen in the page; the URL carries it.
        await ChooseAsync(page, "law", "scaling law L(N) (LSRM)", "law=scaling");
        await Assertions.Expect(page.Locator("[data-chart=scaling-curve]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        Assert.True(await NumberAsync(page.Locator("#fit-r2")) > 0.999);
        Assert.InRange(await NumberAsync(page.Locator("#law-parameters tr[data-parameter=alpha]")), 0.11, 0.13);
        await ShotAsync(page, "laws-scaling");

        var second = await dashboard.OpenAsync(Shared(page));
        await Assertions.Expect(second.Locator("[data-control=law]")).ToHaveAttributeAsync("data-value", "scaling");
        await Assertions.Expect(second.Locator("#law")).ToHaveValueAsync("scaling law L(N) (LSRM)");
        await Assertions.Expect(second.Locator("[data-control=family]")).ToHaveAttributeAsync("data-value", "hstu");
        await Assertions.Expect(second.Locator("#fit-r2")).ToHaveTextAsync(await page.Locator("#fit-r2").InnerTextAsync());
        await Assertions.Expect(second.Locator("[data-chart=scaling-curve]")).ToHaveAttributeAsync("data-points",
            await page.Locator("[data-chart=scaling-curve]").GetAttributeAsync("data-points") ?? "");
        // The Copy link button offers the same link.
        Assert.EndsWith(Shared(page), await second.Locator("#copy-link").GetAttributeAsync("data-url") ?? "");
    }

    [Fact]
    public async Task OptimaPageListsTheKnownOptimumFirstHonoursABudgetAndItsLinkReproducesTheView()
    {
        var page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&family=hstu&metric=NDCG@10&layers=1:16&dims=16:128&heads=16&resamples=20");
        var first = page.Locator("#candidates tbody tr").First;
        await Assertions.Expect(first).ToHaveAttributeAsync("data-layers", LawStudySeed.OptimalLayers.ToString());
        await Assertions.Expect(first).ToHaveAttributeAsync("data-dim", LawStudySeed.OptimalDim.ToString());
        await Assertions.Expect(first).ToHaveClassAsync(new Regex("was-run"));   // measured beside the prediction
        await Assertions.Expect(page.Locator("[data-chart=optima-heatmap]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await Assertions.Expect(page.Locator("#bootstrap-interval")).ToBeVisibleAsync();
        Assert.True(await NumberAsync(page.Locator("#bootstrap-interval"), "data-low") <= await NumberAsync(page.Locator("#bootstrap-interval"), "data-high"));
        // Each candidate's probability of being truly best is its share of bootstrap refits, as the frequency table counts them.
        var shares = await page.Locator("#candidates tbody tr").EvaluateAllAsync<double[]>("rows => rows.map(r => Number(r.querySelector('.p-best').dataset.share))");
        var frequencies = await page.Locator("#optimum-frequencies tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.dataset.layers, r.dataset.dim, r.cells[2].textContent])");
        var top = frequencies[0];
        var topRow = await page.Locator($"#candidates tbody tr[data-layers='{top[0]}'][data-dim='{top[1]}'] .p-best").CountAsync();
        if (topRow > 0)
            await Assertions.Expect(page.Locator($"#candidates tbody tr[data-layers='{top[0]}'][data-dim='{top[1]}'] .p-best")).ToHaveTextAsync(top[2].Replace(" of refits", ""));
        Assert.InRange(shares.Sum(), 0, 1 + 1e-9);
        Assert.True(shares[0] > 0, "the listed optimum is never best across the refits");
        // The grid is fully measured: the next run lies between or just beyond its configurations, never on it.
        await Assertions.Expect(page.Locator("#next-run-first")).ToHaveAttributeAsync("data-beyond", "true");
        var beyond = page.Locator("#next-run tbody tr").First;
        var nextRun = (int.Parse(await beyond.GetAttributeAsync("data-layers") ?? "0"), int.Parse(await beyond.GetAttributeAsync("data-dim") ?? "0"));
        Assert.False(LawStudySeed.Layers.Contains(nextRun.Item1) && LawStudySeed.Dims.Contains(nextRun.Item2), $"suggested the measured {nextRun}");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("by the HSTU formula");

        // Layers × width ≈ 256 (± 10 %): every candidate honours it, so the global optimum (8 × 64 = 512) is out.
        await ChooseAsync(page, "constraint", "layers × width ≈ budget", "constraint=budget");
        // The page starts from the paper's 512; once it has settled (table and bootstrap drawn), type 256.
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("layers × dim = 512");
        await Assertions.Expect(page.Locator("#bootstrap-interval")).ToBeVisibleAsync();
        await FillAsync(page, "value", "256", "value=256");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("layers × dim = 256");
        var rows = page.Locator("#candidates tbody tr");
        Assert.True(await rows.CountAsync() > 0);
        foreach (var row in await rows.AllAsync())
        {
            var product = int.Parse(await row.GetAttributeAsync("data-layers") ?? "0") * int.Parse(await row.GetAttributeAsync("data-dim") ?? "0");
            Assert.InRange(product, 0.9 * 256, 1.1 * 256);
        }
        await Assertions.Expect(page.Locator("#bootstrap-interval")).ToBeVisibleAsync();
        await ShotAsync(page, "optima-budget");

        var second = await dashboard.OpenAsync(Shared(page));
        await Assertions.Expect(second.Locator("[data-control=constraint]")).ToHaveAttributeAsync("data-value", "budget");
        await Assertions.Expect(second.Locator("#constraint")).ToHaveValueAsync("layers × width ≈ budget");
        await Assertions.Expect(second.Locator("#value")).ToHaveValueAsync("256");
        await Assertions.Expect(second.Locator("#optimum")).ToHaveAttributeAsync("data-layers", await page.Locator("#optimum").GetAttributeAsync("data-layers") ?? "");
        await Assertions.Expect(second.Locator("#optimum")).ToHaveAttributeAsync("data-dim", await page.Locator("#optimum").GetAttributeAsync("data-dim") ?? "");
        await Assertions.Expect(second.Locator("#candidates tbody tr")).ToHaveCountAsync(await rows.CountAsync());
        await Assertions.Expect(second.Locator("#bootstrap-interval")).ToHaveAttributeAsync("data-low",
            await page.Locator("#bootstrap-interval").GetAttributeAsync("data-low") ?? "");
    }

    [Fact]
    public async Task OptimaSearchesTwiceBeyondTheMeasuredRangeByDefaultRanksItFirstAndMarksTheRest()
    {
        // Depth fixed at the optimum's 8 layers, so the table reaches past the measured widths within its 100 rows.
        var page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&family=hstu&metric=NDCG@10&top=100&resamples=0&constraint=layers&value=8");
        var box = $"{LawStudySeed.Layers.Min()}:{LawStudySeed.Layers.Max()}x{LawStudySeed.Dims.Min()}:{LawStudySeed.Dims.Max()}";
        await Assertions.Expect(page.Locator("#measured-box")).ToHaveAttributeAsync("data-box", box);
        await Assertions.Expect(page.Locator("#measured-box")).ToContainTextAsync("reaches 2× beyond");
        // The fields show the searched ranges: 2× the measured 1–16 layers and widths 16–128, widths in steps of 8.
        await Assertions.Expect(page.Locator("#layers")).ToHaveValueAsync("1:32");
        await Assertions.Expect(page.Locator("#dims")).ToHaveValueAsync("8:256");
        var rows = (await page.Locator("#candidates tbody tr").EvaluateAllAsync<int[][]>(
                "rows => rows.map(r => [Number(r.dataset.layers), Number(r.dataset.dim), r.dataset.extrapolated === 'true' ? 1 : 0])"))
            .Select(r => new Row(r[0], r[1], r[2] == 1)).ToArray();
        Assert.Equal((LawStudySeed.OptimalLayers, LawStudySeed.OptimalDim, false), (rows[0].Layers, rows[0].Dim, rows[0].Extrapolated));
        var firstBeyond = Array.FindIndex(rows, r => r.Extrapolated);
        Assert.True(firstBeyond > 0, "no extrapolated candidate among 100");
        Assert.All(rows[firstBeyond..], r => Assert.True(r.Extrapolated));
        Assert.All(rows, r => Assert.Equal(r.Layers > LawStudySeed.Layers.Max() || r.Dim > LawStudySeed.Dims.Max() || r.Dim < LawStudySeed.Dims.Min(), r.Extrapolated));
        Assert.All(rows, r => Assert.True(r.Dim % 8 == 0 && r.Layers <= 32 && r.Dim <= 256, $"{r}"));
        // No near-duplicates: within one depth, widths at least 1.25× apart.
        foreach (var depth in rows.GroupBy(r => r.Layers))
        {
            var widths = depth.Select(r => r.Dim).Order().ToList();
            Assert.All(widths.Zip(widths.Skip(1)), p => Assert.True(p.Second >= 1.25 * p.First, $"{depth.Key} layers: widths {p.First} and {p.Second}"));
        }
        await Assertions.Expect(page.Locator("#candidates tbody tr[data-extrapolated=true] .extrapolated").First).ToHaveTextAsync("extrapolated");
        await Assertions.Expect(page.Locator("[data-chart=optima-heatmap]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await Assertions.Expect(page.Locator("[data-chart-figure=optima-heatmap] figcaption")).ToContainTextAsync("dashed frame marks the measured range (1–16 layers × width 16–128)");
        // The frame spans the measured cells: from width 16 / 1 layer to width 128 / 16 layers on the chart's category axes.
        var frame = await page.EvaluateAsync<string[]>("""
            () => {
                const option = echarts.getInstanceByDom(document.querySelector('[data-chart=optima-heatmap]')).getOption();
                const [from, to] = option.series.find(s => s.name === 'measured').markArea.data[0];
                return [option.xAxis[0].data[from.xAxis], option.yAxis[0].data[from.yAxis], option.xAxis[0].data[to.xAxis], option.yAxis[0].data[to.yAxis]];
            }
            """);
        Assert.Equal(["16", "1", "128", "16"], frame);

        // Only the measured range: nothing extrapolated, and the link keeps the factor.
        await FillAsync(page, "extrapolate", "1", "extrapolate=1");
        await Assertions.Expect(page.Locator("#layers")).ToHaveValueAsync("1:16");
        await Assertions.Expect(page.Locator("#candidates tbody tr[data-extrapolated=true]")).ToHaveCountAsync(0);
        await Accessibility.AssertCleanAsync(page, "optima with the measured range marked");
    }

    private sealed record Row(int Layers, int Dim, bool Extrapolated);

    [Theory]
    [InlineData("layers", "fixed layers", "layers = ")]
    [InlineData("params", "non-embedding parameters ≤ budget", "non-embedding parameters ≤ ")]
    [InlineData("flops", "training FLOPs per token ≤ budget", "training FLOPs per token ≤ ")]
    public async Task OptimaPageSearchesUnderEachConstraint(string kind, string text, string described)
    {
        var page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&family=hstu&layers=1:16&dims=16:128&heads=16&resamples=0");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("with no constraint");
        await ChooseAsync(page, "constraint", text, $"constraint={kind}");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync(described);
        await Assertions.Expect(page.Locator("#value")).ToHaveValueAsync(new Regex(@"^\d"));
        await Assertions.Expect(page.Locator("#candidates tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#bootstrap")).ToContainTextAsync("Bootstrap off");
        if (kind == "layers")
        {
            var fixedLayers = await page.Locator("[data-control=value]").GetAttributeAsync("data-value");
            foreach (var row in await page.Locator("#candidates tbody tr").AllAsync())
                Assert.Equal(fixedLayers, await row.GetAttributeAsync("data-layers"));
        }
    }

    [Fact]
    public async Task ALongBootstrapShowsItsProgressAndCanBeCancelledAndRunAgain()
    {
        // The largest bootstrap the page allows (about 4 s on two cores), so the bar is on screen long enough to be cancelled.
        var page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&family=hstu&layers=1:16&dims=16:128&heads=16&resamples=10000");
        var progress = page.Locator("#bootstrap-progress");
        await Assertions.Expect(progress).ToBeVisibleAsync();
        await Assertions.Expect(progress.Locator(".mud-progress-linear")).ToBeVisibleAsync();
        await page.Locator("#bootstrap-progress-cancel").ClickAsync();
        await Assertions.Expect(page.Locator("#bootstrap-cancelled")).ToContainTextAsync("Bootstrap cancelled after");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Bootstrap cancelled");
        await Assertions.Expect(page.Locator("#bootstrap-interval")).ToHaveCountAsync(0);
        // A cancelled bootstrap stays cancelled (its last block must not bring the interval back) …
        await page.WaitForTimeoutAsync(1500);
        await Assertions.Expect(page.Locator("#bootstrap-interval")).ToHaveCountAsync(0);
        // … until it is asked for again.
        await page.Locator("#bootstrap-again").ClickAsync();
        await Assertions.Expect(progress).ToBeVisibleAsync();
    }

    [Fact]
    public async Task FrameworksPageRanksTheFamilyWithTheLargerScalingPotentialFirst()
    {
        var page = await dashboard.OpenAsync($"/frameworks?study={dashboard.StudyId}&metric=NDCG@10");
        var families = page.Locator("#frameworks tbody tr");
        await Assertions.Expect(families).ToHaveCountAsync(3);
        Assert.Equal(["hstu", "sasrec", "llama"], await families.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.family)"));
        // Families by their papers' names in the table, the verdicts and the chart's legend.
        Assert.Equal(["HSTU", "SASRec", "LLaMA"], await families.EvaluateAllAsync<string[]>("rows => rows.map(r => r.cells[0].textContent.trim())"));
        await Assertions.Expect(page.Locator("#verdicts")).ToContainTextAsync("HSTU (fp32) scales better with depth");
        await Assertions.Expect(page.Locator(".family-degenerate")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#verdicts")).Not.ToContainTextAsync("hstu");
        await Assertions.Expect(page.Locator("[data-chart=framework-curves]")).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        await ShotAsync(page, "frameworks");

        var second = await dashboard.OpenAsync(Shared(page));
        var shared = second.Locator("#frameworks tbody tr");
        await Assertions.Expect(shared).ToHaveCountAsync(3); // the fit renders after the page opens
        Assert.Equal(["hstu", "sasrec", "llama"], await shared.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.family)"));

        // Ranked by width instead: the order is the same here (HSTU > SASRec > LLaMA in w2 too), and the link keeps the choice.
        await ChooseAsync(page, "sort", "w2 (width), then w1", "sort=w2");
        await Assertions.Expect(page.Locator("#frameworks[data-sort=w2] tbody tr")).ToHaveCountAsync(3);
        Assert.Equal(["hstu", "sasrec", "llama"], await families.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.family)"));

        // Every run of the dataset: the three studies' SASRec runs together, the partial study's failed run counted, not fitted.
        await ChooseAsync(page, "scope", "all runs of dataset demo-markov", "dataset=");
        await Assertions.Expect(page.Locator("#frameworks tr[data-family=sasrec]")).ToContainTextAsync("(1 failed)");
        Assert.Equal(["hstu", "sasrec", "llama"], await families.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.family)"));
    }

    [Fact]
    public async Task APartlyFinishedStudyGetsANextRunAmongItsUntrainedConfigurationsAndCountsItsFailedRun()
    {
        var page = await dashboard.OpenAsync($"/optima?study={dashboard.PartialStudyId}&layers=1:16&dims=16:128&heads=16&resamples=20");
        var suggestion = page.Locator("#next-run tbody tr").First;
        await Assertions.Expect(suggestion).ToBeVisibleAsync();
        var next = (int.Parse(await suggestion.GetAttributeAsync("data-layers") ?? "0"), int.Parse(await suggestion.GetAttributeAsync("data-dim") ?? "0"));
        Assert.Contains(next, LawStudyFixture.Untrained);
        await ShotAsync(page, "optima-next-run");

        var laws = await dashboard.OpenAsync($"/laws?study={dashboard.PartialStudyId}");
        await Assertions.Expect(laws.Locator("#law-scope")).ToContainTextAsync("26 completed runs");
        await Assertions.Expect(laws.Locator("#law-scope")).ToContainTextAsync("1 failed");
        await Assertions.Expect(laws.Locator("#law-scope")).ToContainTextAsync("3 still queued or running");
        await Assertions.Expect(laws.Locator("#residuals tbody tr")).ToHaveCountAsync(26);
    }

    [Fact]
    public async Task TooFewRunsShowTheLibrarysReasonAndAnUnknownStudySaysSo()
    {
        var page = await dashboard.OpenAsync($"/laws?study={dashboard.TinyStudyId}");
        await Assertions.Expect(page.Locator("#fit-error")).ToContainTextAsync("3 points for 7 parameters");
        await Assertions.Expect(page.Locator("#law-parameters")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-chart=law-heatmap]")).ToHaveCountAsync(0);

        foreach (var path in new[] { "/optima?study=987654", "/laws?study=987654", "/frameworks?study=987654" })
        {
            var missing = await dashboard.OpenAsync(path);
            await Assertions.Expect(missing.Locator("#law-empty")).ToContainTextAsync("There is no study #987654");
            await Assertions.Expect(missing.Locator("#law-empty a[href='/studies/new']")).ToHaveTextAsync("Create a study");
        }
    }
}
