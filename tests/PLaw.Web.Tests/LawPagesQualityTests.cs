using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The law pages beyond their numbers: malformed links (issue #9 item 6), accessibility in both modes, 390 px phones, and the
/// charts' axes and legends as ECharts actually laid them out (item 8).
/// </summary>
public sealed class LawPagesQualityTests(LawStudyFixture dashboard) : IClassFixture<LawStudyFixture>
{
    public static readonly TheoryData<string> MalformedLinks = new()
    {
        "/optima?value=1e6",
        "/optima?value=abc",
        "/optima?constraint=nonsense",
        "/optima?study=x",
        "/optima?metric=bogus",
        "/optima?dataset=x&resamples=lots&heads=-3&layers=1:x&dims=&top=0&context=abc&tolerance=2",
        "/laws?study=x",
        "/laws?dataset=1.5",
        "/laws?metric=bogus",
        "/laws?law=foo",
        "/laws?family=foo&precision=fp128",
        "/frameworks?study=x",
        "/frameworks?metric=bogus&sort=zzz",
    };

    /// <summary>The request a person's browser makes first: the server's own answer, before any circuit starts.</summary>
    [Theory]
    [MemberData(nameof(MalformedLinks))]
    public async Task AMalformedLinkIsAnsweredWithThePageNotAnError(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(dashboard.Server.BaseUrl) };
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: HTTP {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 2000)]}");
        Assert.DoesNotContain("Exception", body);
        Assert.Contains("<h1", body);
    }

    /// <summary>The performance law's optimum is a maximum: a lower-is-better metric (a ranker's LogLoss, the loss) is not offered.</summary>
    [Theory]
    [InlineData("laws"), InlineData("optima"), InlineData("frameworks")]
    public async Task ALowerIsBetterMetricIsNotOfferedForThePerformanceLaw(string path)
    {
        var page = await dashboard.OpenAsync($"/{path}?study={dashboard.TinyStudyId}&metric=LogLoss&resamples=0");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=metric]")).ToContainTextAsync("metric=LogLoss");
        await Assertions.Expect(page.Locator("[data-control=metric]")).ToHaveAttributeAsync("data-value", "NDCG@10");
        await page.Locator("[data-control=metric]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item").First).ToBeVisibleAsync();
        var offered = await page.Locator(".mud-popover-open .mud-list-item").AllInnerTextsAsync();
        Assert.Contains("NDCG@10", offered.Select(o => o.Trim()));
        Assert.DoesNotContain("LogLoss", offered.Select(o => o.Trim()));
        Assert.DoesNotContain("loss", offered.Select(o => o.Trim()));
    }

    [Fact]
    public async Task OptimaSaysWhichValuesItIgnoredAndWhatItUsedInstead()
    {
        // value=abc with a budget: the paper's 512 is used, and the page says so beside the search it ran.
        var page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&family=hstu&constraint=budget&value=abc&resamples=0");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=value]")).ToContainTextAsync("value=abc: not a number; using 512");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("layers × dim = 512");
        await Accessibility.AssertCleanAsync(page, "optima with an ignored value");

        // 1e6 is a number: a million parameters, no note.
        page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&family=hstu&constraint=params&value=1e6&resamples=0");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("non-embedding parameters ≤ 1,000,000");
        await Assertions.Expect(page.Locator("#query-notes")).ToHaveCountAsync(0);

        // Without a constraint a value means nothing: said, not silently dropped.
        page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&value=1e6&resamples=0");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=value]")).ToContainTextAsync("a value needs a constraint");
        await Assertions.Expect(page.Locator("#optimum")).ToContainTextAsync("with no constraint");

        page = await dashboard.OpenAsync($"/optima?study={dashboard.StudyId}&constraint=nonsense&metric=bogus&resamples=lots&layers=1:x");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=constraint]")).ToContainTextAsync("constraint=nonsense: not one of none");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=constraint]")).ToContainTextAsync("using no constraint (the global optimum) instead");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=metric]")).ToContainTextAsync("showing NDCG@10 instead");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=resamples]")).ToContainTextAsync("not a whole number; using 200 instead");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=layers]")).ToContainTextAsync("searching 1:32 instead");
        // The field says what is wrong beside itself.
        await Assertions.Expect(page.Locator(".law-control:has(#layers) .mud-input-helper-text.mud-input-error")).ToContainTextAsync("expected min:max");
        await Assertions.Expect(page.Locator("#candidates tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-control=metric]")).ToHaveAttributeAsync("data-value", "NDCG@10");
        // The shared link carries what was used, not what was ignored.
        var link = await page.Locator("#copy-link").GetAttributeAsync("data-url") ?? "";
        Assert.Contains("constraint=none", link);
        Assert.DoesNotContain("nonsense", link);
        Assert.DoesNotContain("bogus", link);

        page = await dashboard.OpenAsync("/optima?study=x");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=study]")).ToContainTextAsync("study=x: not a whole number; showing the newest study with completed runs instead");
        await Assertions.Expect(page.Locator("#candidates tbody tr").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LawsAndFrameworksSayWhichValuesTheyIgnored()
    {
        var page = await dashboard.OpenAsync($"/laws?study=x&metric=bogus&law=foo&family=foo");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=study]")).ToContainTextAsync("study=x: not a whole number");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=metric]")).ToContainTextAsync("metric=bogus: not one of NDCG@10");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=law]")).ToContainTextAsync("law=foo: not one of performance");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=law]")).ToContainTextAsync("showing the performance law instead");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=family]")).ToContainTextAsync("family=foo: not one of");
        // … and shows the view it chose instead.
        await Assertions.Expect(page.Locator("#fit-r2")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-control=law]")).ToHaveAttributeAsync("data-value", "performance");

        page = await dashboard.OpenAsync($"/frameworks?study={dashboard.StudyId}&metric=bogus&sort=zzz");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=metric]")).ToContainTextAsync("showing NDCG@10 instead");
        await Assertions.Expect(page.Locator("#query-notes li[data-key=sort]")).ToContainTextAsync("ranking by w1 (depth), then w2 instead");
        await Assertions.Expect(page.Locator("#frameworks tbody tr")).ToHaveCountAsync(3);
    }

    public static readonly TheoryData<string, string, bool> PagesAndModes = new()
    {
        { "laws", "#fit-r2", false }, { "laws", "#fit-r2", true },
        { "laws-scaling", "#fit-r2", false }, { "laws-scaling", "#fit-r2", true },
        { "optima", "#bootstrap-interval", false }, { "optima", "#bootstrap-interval", true },
        { "frameworks", "#verdicts", false }, { "frameworks", "#verdicts", true },
    };

    private string PathOf(string page) => page switch
    {
        "laws" => $"/laws?study={dashboard.StudyId}&family=hstu",
        "laws-scaling" => $"/laws?study={dashboard.StudyId}&family=hstu&law=scaling",
        "optima" => $"/optima?study={dashboard.StudyId}&family=hstu&layers=1:16&dims=16:128&heads=16&resamples=20&constraint=budget&value=256",
        _ => $"/frameworks?study={dashboard.StudyId}",
    };

    [Theory]
    [MemberData(nameof(PagesAndModes))]
    public async Task EveryLawPageIsAccessibleInLightAndDarkMode(string name, string ready, bool dark)
    {
        var page = await dashboard.OpenAsync(PathOf(name), dark);
        await Assertions.Expect(page.Locator(ready)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-chart]").First).ToHaveAttributeAsync("data-theme", dark ? "plaw-dark" : "plaw-light");
        await Accessibility.AssertCleanAsync(page, $"{name} ({(dark ? "dark" : "light")})");
        await LawPagesTests.ShotAsync(page, $"{name}-{(dark ? "dark" : "light")}");
    }

    [Fact]
    public async Task TheEmptyStatesAreAccessibleAndSayWhatToDoNext()
    {
        foreach (var path in new[] { "/laws?study=987654", "/optima?study=987654", "/frameworks?study=987654" })
        {
            var page = await dashboard.OpenAsync(path);
            await Assertions.Expect(page.Locator("#law-empty")).ToContainTextAsync("Create a study");
            await Accessibility.AssertCleanAsync(page, $"empty state {path}");
        }
    }

    [Theory]
    [InlineData("laws", "#fit-r2")]
    [InlineData("optima", "#bootstrap-interval")]
    [InlineData("frameworks", "#verdicts")]
    public async Task EveryLawPageFitsA390PixelPhone(string name, string ready)
    {
        var page = await dashboard.OpenAsync(PathOf(name), width: 390);
        await Assertions.Expect(page.Locator(ready)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-chart]").First).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await LawPagesTests.ShotAsync(page, $"{name}-390");
        Assert.True(width <= 390, $"{name} is {width} px wide at a 390 px viewport: something overflows the page instead of scrolling in its own container");
        // The wide tables scroll inside their own container.
        var table = page.Locator(".plaw-scroll").First;
        Assert.True(await table.EvaluateAsync<bool>("e => e.getBoundingClientRect().right <= 390"));
        await Accessibility.AssertCleanAsync(page, $"{name} at 390 px");
    }

    /// <summary>
    /// What ECharts laid out, read from the live chart: the axis type, the tick labels it actually drew (hidden ones left out),
    /// where the axis names and the legend landed, the plot rectangle and the canvas size.
    /// </summary>
    private static async Task<ChartLayout> LayoutAsync(IPage page, string chart)
    {
        var element = page.Locator($"[data-chart={chart}]");
        await Assertions.Expect(element).ToHaveAttributeAsync("data-rendered", new Regex(@"^\d+$"));
        var json = await element.EvaluateAsync<string>("""
            el => {
                const chart = echarts.getInstanceByDom(el);
                const model = chart.getModel();
                const rectOf = e => {
                    const r = e.getBoundingRect().clone();
                    if (e.transform) r.applyTransform(e.transform);
                    return { x: r.x, y: r.y, width: r.width, height: r.height };
                };
                const axis = kind => {
                    const m = model.getComponent(kind, 0);
                    const name = m.get('name');
                    const texts = [];
                    chart.getViewOfComponentModel(m).group.traverse(e => {
                        if (e.style && typeof e.style.text === 'string' && e.style.text !== '' && !e.ignore && !e.invisible)
                            texts.push({ text: e.style.text, rect: rectOf(e) });
                    });
                    return {
                        type: m.get('type'), name, labelShow: m.get(['axisLabel', 'show']) !== false,
                        nameRect: (texts.find(t => t.text === name) || {}).rect || null,
                        labels: texts.filter(t => t.text !== name).map(t => t.text),
                    };
                };
                const legend = chart.getViewOfComponentModel(model.getComponent('legend', 0)).group;
                const scale = model.getComponent('visualMap', 0);
                return JSON.stringify({
                    width: chart.getWidth(), height: chart.getHeight(),
                    grid: model.getComponent('grid', 0).coordinateSystem.getRect(),
                    legend: rectOf(legend), x: axis('xAxis'), y: axis('yAxis'),
                    colourScale: scale ? rectOf(chart.getViewOfComponentModel(scale).group) : null,
                    yOption: JSON.stringify(chart.getOption().yAxis[0]),
                });
            }
            """);
        return JsonSerializer.Deserialize<ChartLayout>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    private static void AssertLaidOut(ChartLayout c, string what)
    {
        foreach (var (axis, kind) in new[] { (c.X, "x"), (c.Y, "y") })
        {
            Assert.True(axis.NameRect is not null, $"{what}: the {kind}-axis name '{axis.Name}' was not drawn");
            var n = axis.NameRect!;
            // Not clipped: the whole name lies on the canvas.
            Assert.True(n.X >= 0 && n.Y >= 0 && n.X + n.Width <= c.Width + 0.5 && n.Y + n.Height <= c.Height + 0.5,
                $"{what}: the {kind}-axis name {n} leaves the {c.Width}×{c.Height} canvas");
            // Not under the legend: the legend has its own band above the plot.
            Assert.False(n.Intersects(c.Legend), $"{what}: the {kind}-axis name {n} overlaps the legend {c.Legend}");
            Assert.True(axis.Name.Contains('(') && axis.Name.Contains(')'), $"{what}: the {kind}-axis name '{axis.Name}' gives no unit");
        }
        Assert.True(c.Legend.Y + c.Legend.Height <= c.Grid.Y, $"{what}: the legend {c.Legend} reaches into the plot {c.Grid}");
    }

    private static double[] Numbers(AxisLayout axis) =>
        axis.Labels.Select(l => double.Parse(l.Replace(",", ""), CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task TheScalingChartsLogAxesHaveReadableTicksAndNothingOverlapsTheLegend()
    {
        var page = await dashboard.OpenAsync($"/laws?study={dashboard.StudyId}&family=hstu&law=scaling");
        var c = await LayoutAsync(page, "scaling-curve");
        Assert.Equal("log", c.Y.Type);
        Assert.True(c.Y.LabelShow);
        var y = Numbers(c.Y);
        // The losses span well under a decade: ticks at powers of ten alone would leave this axis bare.
        Assert.True(y.Length >= 3, $"the log y-axis drew {y.Length} tick labels: [{string.Join(", ", c.Y.Labels)}]; its option: {c.YOption}");
        Assert.All(y, v => Assert.True(v.ToString(CultureInfo.InvariantCulture).Length <= 6, $"unreadable tick label {v}"));
        Assert.Equal("log", c.X.Type);
        var x = Numbers(c.X);
        Assert.True(x.Length >= 4, $"the log x-axis drew {x.Length} tick labels: [{string.Join(", ", c.X.Labels)}]");
        Assert.Contains(x, v => Math.Abs(Math.Log10(v) - Math.Round(Math.Log10(v))) > 0.1);   // between the powers of ten too
        AssertLaidOut(c, "scaling curve");
    }

    [Theory]
    [InlineData("/laws?study={0}&family=hstu", "law-layers")]
    [InlineData("/frameworks?study={0}", "framework-curves")]
    public async Task TheLayerChartsLogAxisIsLabelledBetweenThePowersOfTen(string path, string chart)
    {
        var page = await dashboard.OpenAsync(string.Format(CultureInfo.InvariantCulture, path, dashboard.StudyId));
        var c = await LayoutAsync(page, chart);
        Assert.Equal("log", c.X.Type);
        var x = Numbers(c.X);
        Assert.True(x.Length >= 4, $"{chart}: the layers axis drew only [{string.Join(", ", c.X.Labels)}]");
        Assert.Contains(2.0, x);
        Assert.Contains(5.0, x);
        AssertLaidOut(c, chart);
    }

    [Fact]
    public async Task TheHeatMapsAxisNamesAndColourScaleKeepClearOfTheLegendAndEachOther()
    {
        var page = await dashboard.OpenAsync($"/laws?study={dashboard.StudyId}&family=hstu");
        var c = await LayoutAsync(page, "law-heatmap");
        Assert.Equal("category", c.Y.Type);
        AssertLaidOut(c, "law heat map");
        Assert.True(c.Y.Labels.Length >= 3 && c.X.Labels.Length >= 3);
        Assert.NotNull(c.ColourScale);
        Assert.False(c.X.NameRect!.Intersects(c.ColourScale!), $"the x-axis name {c.X.NameRect} overlaps the colour scale {c.ColourScale}");
        Assert.True(c.ColourScale!.Y + c.ColourScale.Height <= c.Height + 0.5, $"the colour scale {c.ColourScale} is clipped");
    }

    private sealed record Rect(double X, double Y, double Width, double Height)
    {
        public bool Intersects(Rect o) => X < o.X + o.Width && o.X < X + Width && Y < o.Y + o.Height && o.Y < Y + Height;
        public override string ToString() => FormattableString.Invariant($"[{X:F0},{Y:F0} {Width:F0}×{Height:F0}]");
    }

    private sealed record AxisLayout(string Type, string Name, bool LabelShow, Rect? NameRect, string[] Labels);

    private sealed record ChartLayout(double Width, double Height, Rect Grid, Rect Legend, AxisLayout X, AxisLayout Y, Rect? ColourScale, string YOption);
}
