using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using PLaw.Data.Storage;
using PLaw.Entropy;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The dataset pages in headless Chromium against the real dashboard process and its SQLite registry file.</summary>
public sealed class DatasetPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private static string F4(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The demo's sequences as the registry file holds them, read without the dashboard's code paths.</summary>
    private PLaw.Data.Sequences.SequenceSet ReadDemoFromRegistryFile(out int id)
    {
        using var connection = new SqliteConnection($"Data Source={dashboard.Server.RegistryPath};Mode=ReadOnly");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT d.Id, s.Data FROM Datasets d JOIN DatasetSequences s ON s.DatasetId = d.Id WHERE d.Name = 'demo-markov'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), "The demo dataset is not in the registry file.");
        id = reader.GetInt32(0);
        return SequenceSetFormat.FromBytes((byte[])reader["Data"]);
    }

    private static ILocator SelectedRow(IPage page) => page.Locator("#entropy-table tr.selected-length");

    [Fact]
    public async Task DemoDatasetPageShowsTheEntropyTableOfTheStoredSequences()
    {
        var sequences = ReadDemoFromRegistryFile(out var id);
        var expected = EntropyTable.Compute(sequences, EntropyTableOptions.Default);

        var page = await dashboard.OpenAsync("/datasets");
        await page.Locator("a.dataset-link", new() { HasText = "demo-markov" }).ClickAsync();
        await page.WaitForURLAsync($"**/datasets/{id}");
        var rows = page.Locator("#entropy-table tbody tr[data-max-len]");
        await Assertions.Expect(rows).ToHaveCountAsync(4);

        for (var i = 0; i < expected.Count; i++)
        {
            var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
            Assert.Equal(expected[i].MaxLen.ToString(CultureInfo.InvariantCulture), cells[0].Trim());
            Assert.Equal(expected[i].Users.ToString("N0", CultureInfo.InvariantCulture), cells[1].Trim());
            Assert.Equal(expected[i].Tokens.ToString("N0", CultureInfo.InvariantCulture), cells[3].Trim());
            Assert.Equal(F4(expected[i].Apen), cells[5].Trim());
            Assert.Equal(F4(expected[i].RealEntropy), cells[6].Trim());
            Assert.Equal(expected[i].TokensPerApen.ToString("N0", CultureInfo.InvariantCulture), cells[10].Trim());
        }
        await Assertions.Expect(page.Locator("#dataset-summary")).ToContainTextAsync(SequenceSetFormat.Checksum(sequences)[..12]);
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        await Assertions.Expect(page.Locator("[data-chart=popularity] canvas")).ToHaveCountAsync(1);
        // Both charts have an accessible name and a text alternative that carries their numbers.
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("aria-label", new Regex("newest 50 items.*median 50"));
        await Assertions.Expect(page.Locator("[data-chart=popularity]")).ToHaveAttributeAsync("aria-label", new Regex("both axes logarithmic"));
        await Assertions.Expect(page.Locator("[data-chart-figure=lengths] figcaption")).ToContainTextAsync("median");
        await Assertions.Expect(page.Locator("[data-chart-figure=popularity] figcaption")).ToContainTextAsync("Gini coefficient");
    }

    [Fact]
    public async Task EntropyTableHeadersAreShownInFull()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}");
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(4);
        foreach (var header in new[] { "Mean length", "Real entropy (P-Law code)", "Users with all-distinct items", "Tokens / ApEn (D′)" })
            await Assertions.Expect(page.Locator("#entropy-table th", new() { HasText = header })).ToHaveCountAsync(1);
        // No header cell is cut: each shows all of its text.
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#entropy-table th, #pooled-table th')]
                .filter(th => th.scrollWidth > th.clientWidth + 1 || getComputedStyle(th).textOverflow === 'ellipsis')
                .map(th => th.textContent.trim())
            """);
        Assert.Empty(clipped);
    }

    [Fact]
    public async Task ASharedLinkReproducesTheViewInAnotherBrowser()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=100&m=2&r=0");
        await Assertions.Expect(SelectedRow(page)).ToHaveAttributeAsync("data-max-len", "100");
        await Assertions.Expect(page.GetByText("Sequence lengths (last 100 items)")).ToBeVisibleAsync();

        // Charts are drawn only by the live circuit: once they are, the table being clicked is the interactive one.
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        // Clicking a row changes the URL, so the new view is shareable too.
        await page.Locator("#entropy-table tbody tr[data-max-len='25'] td").Nth(2).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("maxLen=25"), new() { Timeout = 30_000 });
        await Assertions.Expect(SelectedRow(page)).ToHaveAttributeAsync("data-max-len", "25");
        var shared = page.Url;
        var second = await dashboard.OpenAsync(shared[dashboard.Server.BaseUrl.Length..]);
        await Assertions.Expect(second.Locator("#entropy-table tr.selected-length")).ToHaveAttributeAsync("data-max-len", "25");
        await Assertions.Expect(second.GetByText("Sequence lengths (last 25 items)")).ToBeVisibleAsync();

        // The L cell is a real link to the same view (keyboard and new-tab friendly).
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len='200'] a"))
            .ToHaveAttributeAsync("href", new Regex("maxLen=200&m=2&r=0$"));
    }

    [Fact]
    public async Task CopyLinkCopiesTheUrlOfTheCurrentView()
    {
        ReadDemoFromRegistryFile(out var id);
        // A malformed r in the address: the copied link carries the value actually used instead.
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=25&m=3&r=oops");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await MeasureAsync(page);
        await Assertions.Expect(SelectedRow(page)).ToHaveAttributeAsync("data-max-len", "25", new() { Timeout = 60_000 });
        await page.Locator("#copy-link").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Link to this view copied" })).ToBeVisibleAsync();
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal($"{dashboard.Server.BaseUrl}/datasets/{id}?maxLen=25&m=3&r=0", copied);

        var second = await dashboard.OpenAsync(copied[dashboard.Server.BaseUrl.Length..]);
        await Assertions.Expect(second.Locator("#entropy-table tr.selected-length")).ToHaveAttributeAsync("data-max-len", "25");
        await Assertions.Expect(second.Locator("#apen-m")).ToHaveValueAsync("3");
        await Assertions.Expect(second.Locator("#apen-r")).ToHaveValueAsync("0");
        await Assertions.Expect(second.GetByText("ApEn with m = 3, r = 0")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ChangingApEnMRemeasuresAndPutsItInTheUrl()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}");
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(4);
        var apenAtM2 = await page.Locator("#entropy-table tr[data-max-len='50'] .apen").InnerTextAsync();
        await MudInputs.FillAsync(page, "apen-m", "1");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("m=1"), new() { Timeout = 30_000 });
        await MeasureAsync(page);
        await Assertions.Expect(page.GetByText("ApEn with m = 1, r = 0")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#entropy-table tr[data-max-len='50'] .apen")).Not.ToHaveTextAsync(apenAtM2);
    }

    [Fact]
    public async Task AnUnlistedLengthIsMeasuredOnDemandAndCached()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=37");
        await MeasureAsync(page);
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(5);
        await Assertions.Expect(SelectedRow(page)).ToHaveAttributeAsync("data-max-len", "37");

        using var connection = new SqliteConnection($"Data Source={dashboard.Server.RegistryPath};Mode=ReadOnly");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM EntropyReports WHERE DatasetId = {id} AND MaxLen = 37";
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task MeasuringShowsProgressAndCanBeCancelled()
    {
        // A dataset of its own (the demo's cache lock stays free for the other tests): 400 users × 20 items, one 8,000-token chunk.
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        File.WriteAllLines(Path.Combine(dashboard.Server.ImportRoot, "to-cancel.data"),
            Enumerable.Range(1, 400).SelectMany(u => Enumerable.Range(0, 20).Select(t => $"{u}\t{(u * 13 + t * 7) % 300 + 1}\t4\t{1000 + t}")));
        var import = await dashboard.OpenAsync("/datasets");
        await MudInputs.FillAsync(import, "dataset-name", "to-cancel");
        await import.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await MudInputs.FillAsync(import, "server-path", "to-cancel.data");
        await import.Locator("#import-path").ClickAsync();
        var link = import.Locator(".import-job a.import-dataset-link").First;
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var id = int.Parse((await link.GetAttributeAsync("href"))!.Split('/')[^1], CultureInfo.InvariantCulture);

        // r > 0 compares every pair of windows in the pooled chunk: seconds per row, long enough to cancel.
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=25&m=2&r=7");
        await page.Locator("#measure").ClickAsync();
        await Assertions.Expect(page.Locator("#entropy-progress")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#entropy-progress")).ToContainTextAsync(new Regex("[1-9][0-9]* % measured"));
        await page.Locator("#cancel-measuring").ClickAsync();
        await Assertions.Expect(page.Locator("#entropy-cancelled")).ToContainTextAsync("Measuring was cancelled");
        await Assertions.Expect(page.Locator("#entropy-table")).ToHaveCountAsync(0);
        // The charts do not wait for the table.
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        // The computation stops too: after the row in flight, no further row is stored.
        await page.WaitForTimeoutAsync(8_000);
        var stored = RowsFor(id, r: 7);
        await page.WaitForTimeoutAsync(12_000);
        Assert.Equal(stored, RowsFor(id, r: 7));
        Assert.True(stored < 4, "Every row was measured although measuring was cancelled.");
    }

    /// <summary>Presses Measure for the rows the view lacks (opening a page computes nothing).</summary>
    private static async Task MeasureAsync(IPage page)
    {
        await page.Locator("#measure").ClickAsync();
        await Assertions.Expect(page.Locator("#entropy-missing")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#entropy-progress")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
    }

    [Fact]
    public async Task OpeningAViewComputesAndStoresNothingUntilMeasureIsPressed()
    {
        ReadDemoFromRegistryFile(out var id);
        var before = AllRows(id);
        const string view = "?maxLen=41&m=4&r=0";
        using (var http = new HttpClient())
            for (var i = 0; i < 3; i++)
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{dashboard.Server.BaseUrl}/datasets/{id}{view}")).StatusCode);
        var page = await dashboard.OpenAsync($"/datasets/{id}{view}");
        await Assertions.Expect(page.Locator("#entropy-missing")).ToContainTextAsync("Not measured yet with m = 4, r = 0: L = 25, 41, 50, 100, 200.");
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        await Assertions.Expect(page.Locator("#entropy-table")).ToHaveCountAsync(0);
        Assert.Equal(before, AllRows(id));

        await MeasureAsync(page);
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(5);
        Assert.Equal(before + 5, AllRows(id));
    }

    private long AllRows(int id)
    {
        using var connection = new SqliteConnection($"Data Source={dashboard.Server.RegistryPath};Mode=ReadOnly");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM EntropyReports WHERE DatasetId = {id}";
        return (long)command.ExecuteScalar()!;
    }

    private long RowsFor(int id, int r)
    {
        using var connection = new SqliteConnection($"Data Source={dashboard.Server.RegistryPath};Mode=ReadOnly");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM EntropyReports WHERE DatasetId = {id} AND R = {r}";
        return (long)command.ExecuteScalar()!;
    }

    public static TheoryData<string, string, string> MalformedQueries => new()
    {
        { "maxLen=abc", "Ignored maxLen=abc: not a whole number. Showing L = 50.", "50" },
        { "maxLen=1e6", "Ignored maxLen=1e6: not a whole number. Showing L = 50.", "50" },
        { "maxLen=-5", "Ignored maxLen=-5: L must be from 1 to 10,000. Showing L = 50.", "50" },
        { "maxLen=2000000000", "Ignored maxLen=2000000000: L must be from 1 to 10,000. Showing L = 50.", "50" },
        { "maxLen=99999999999999999999", "Ignored maxLen=99999999999999999999: not a whole number. Showing L = 50.", "50" },
        { "maxLen=25&m=x", "Ignored m=x: not a whole number. Showing ApEn m = 2.", "25" },
        { "maxLen=25&r=foo", "Ignored r=foo: not a whole number. Showing ApEn r = 0.", "25" },
        { "r=-1", "Ignored r=-1: ApEn r must be from 0 to 1,000. Showing ApEn r = 0.", "50" },
    };

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public async Task AMalformedQueryValueIsIgnoredWithANote(string query, string note, string shownLength)
    {
        ReadDemoFromRegistryFile(out var id);
        using var http = new HttpClient();
        var response = await http.GetAsync($"{dashboard.Server.BaseUrl}/datasets/{id}?{query}");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(note, html);
        Assert.DoesNotContain("Unhandled exception", html);

        var page = await dashboard.OpenAsync($"/datasets/{id}?{query}");
        await Assertions.Expect(page.Locator("#query-note")).ToContainTextAsync(note);
        await Assertions.Expect(SelectedRow(page)).ToHaveAttributeAsync("data-max-len", shownLength);
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AValidQueryHasNoNote()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=25&m=2&r=0");
        await Assertions.Expect(SelectedRow(page)).ToHaveAttributeAsync("data-max-len", "25");
        await Assertions.Expect(page.Locator("#query-note")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AMissingDatasetSaysSo()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"{dashboard.Server.BaseUrl}/datasets/987654?maxLen=abc");
        // A page that says what is missing (setting 404 would make the framework drop the page's body).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Dataset 987654 does not exist", await response.Content.ReadAsStringAsync());

        var page = await dashboard.OpenAsync("/datasets/987654");
        await Assertions.Expect(page.GetByText("Dataset 987654 does not exist")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#dataset-not-found a[href='/datasets']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task LogAxesHaveTicksBeyondOneAndTen()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}");
        await Assertions.Expect(page.Locator("[data-chart=popularity]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        foreach (var axis in new[] { "xAxis", "yAxis" })
        {
            var labels = await page.EvaluateAsync<string[]>($$"""
                () => {
                    const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=popularity]'));
                    const model = chart.getModel().getComponent('{{axis}}', 0);
                    return model.axis.getViewLabels().map(l => String(l.formattedLabel));
                }
                """);
            Assert.True(labels.Length >= 4, $"The popularity chart's {axis} shows only {string.Join(", ", labels)}.");
            Assert.Contains(labels, l => l is not ("1" or "10"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheDatasetPageIsAccessibleInLightAndDark(bool dark)
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=oops", dark: dark);
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#query-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-chart=popularity]")).ToHaveAttributeAsync("data-theme", dark ? "plaw-dark" : "plaw-light");
        await Accessibility.AssertCleanAsync(page, $"the dataset page ({(dark ? "dark" : "light")})");
    }

    [Fact]
    public async Task TheDatasetPageFitsA390PixelScreenAndItsTablesScroll()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}", width: 390);
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("data-rendered", new Regex("[1-9]"));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "The dataset page overflows 390 px.");
        // The wide table scrolls inside its own container instead of widening the page.
        Assert.True(await page.EvaluateAsync<bool>("""
            () => {
                const table = document.querySelector('#entropy-table table');
                for (let e = table.parentElement; e && e !== document.body; e = e.parentElement) {
                    const overflow = getComputedStyle(e).overflowX;
                    if ((overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth)
                        return e.getBoundingClientRect().right <= 390;
                }
                return false;
            }
            """), "The entropy table does not scroll inside its own container at 390 px.");
        var copy = await page.Locator("#copy-link").BoundingBoxAsync();
        Assert.NotNull(copy);
        Assert.True(copy.X + copy.Width <= 390, "Copy link is off-screen at 390 px.");
    }

    [Fact]
    public async Task HealthEndpointChecksTheRegistry()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"{dashboard.Server.BaseUrl}/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
