using System.Globalization;
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
        await Assertions.Expect(page.Locator("[data-chart=lengths]")).ToHaveAttributeAsync("data-rendered", new System.Text.RegularExpressions.Regex("[1-9]"));
        await Assertions.Expect(page.Locator("[data-chart=popularity] canvas")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ASharedLinkReproducesTheViewInAnotherBrowser()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=100&m=2&r=0");
        await Assertions.Expect(page.Locator("#entropy-table tr.selected-length")).ToHaveAttributeAsync("data-max-len", "100");
        await Assertions.Expect(page.GetByText("Sequence lengths (last 100 items)")).ToBeVisibleAsync();

        // Clicking a row changes the URL, so the new view is shareable too.
        await page.Locator("#entropy-table tbody tr[data-max-len='25']").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("maxLen=25"));
        var shared = page.Url;
        var second = await dashboard.OpenAsync(shared[dashboard.Server.BaseUrl.Length..]);
        await Assertions.Expect(second.Locator("#entropy-table tr.selected-length")).ToHaveAttributeAsync("data-max-len", "25");
        await Assertions.Expect(second.GetByText("Sequence lengths (last 25 items)")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AnUnlistedLengthIsMeasuredOnDemandAndCached()
    {
        ReadDemoFromRegistryFile(out var id);
        var page = await dashboard.OpenAsync($"/datasets/{id}?maxLen=37");
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("#entropy-table tr.selected-length")).ToHaveAttributeAsync("data-max-len", "37");

        using var connection = new SqliteConnection($"Data Source={dashboard.Server.RegistryPath};Mode=ReadOnly");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM EntropyReports WHERE DatasetId = {id} AND MaxLen = 37";
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task AMissingDatasetSaysSo()
    {
        var page = await dashboard.OpenAsync("/datasets/987654");
        await Assertions.Expect(page.GetByText("Dataset 987654 does not exist")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task HealthEndpointChecksTheRegistry()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"{dashboard.Server.BaseUrl}/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
