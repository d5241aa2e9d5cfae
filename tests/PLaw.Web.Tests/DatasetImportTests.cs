using Microsoft.Playwright;
using PLaw.Tests.Common;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>Importing, failing to import and deleting datasets from the Datasets page, checked in the registry file.</summary>
public sealed class DatasetImportTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private long Count(string sql) => RegistryFile.Scalar<long>(dashboard.Server.RegistryPath, sql);

    private static async Task ChooseFormatAsync(IPage page, string format)
    {
        await MudInputs.ChooseAsync(page, "dataset-format", format);
        await Assertions.Expect(page.Locator("#dataset-format")).ToHaveValueAsync(format);
    }

    private static async Task ImportServerPathAsync(IPage page, string name, string relativePath)
    {
        await MudInputs.FillAsync(page, "dataset-name", name);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await MudInputs.FillAsync(page, "server-path", relativePath);
        await page.Locator("#import-path").ClickAsync();
    }

    [Fact]
    public async Task ImportingAServerFileShowsTheNewDatasetAndItsTable()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        var file = Path.Combine(dashboard.Server.ImportRoot, "ml100k.data");
        RepoPaths.RequireSharedData();
        File.Copy(RepoPaths.MovieLens100K, file, overwrite: true);
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "ml-100k-from-path", "ml100k.data");

        var job = ImportJobRow.Of(page, "ml-100k-from-path");
        await Assertions.Expect(job.Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Imported ml-100k-from-path" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "ml-100k-from-path" })).ToBeVisibleAsync();
        await job.Locator("a.import-dataset-link").ClickAsync();
        // A new dataset has no entropy table until someone asks for one.
        await page.Locator("#measure").ClickAsync();
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#dataset-summary")).ToContainTextAsync("943 users");
        await Assertions.Expect(page.Locator("#dataset-summary")).ToContainTextAsync("format MovieLens");
        await Assertions.Expect(page.Locator("#all-distinct-note")).ToBeVisibleAsync();
        Assert.Equal(1, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'ml-100k-from-path'"));
    }

    [Fact]
    public async Task ABadFileShowsWhereItIsWrongAndStoresNothing()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "broken.data"), "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\tfive\t102\n");
        var before = Count("SELECT COUNT(*) FROM Datasets");
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "broken", "broken.data");

        var job = ImportJobRow.Of(page, "broken");
        await Assertions.Expect(job.Locator(".import-status")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Assertions.Expect(job.Locator(".import-error-text")).ToContainTextAsync("broken.data:3");
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Import of broken failed" })).ToContainTextAsync("broken.data:3");
        Assert.Equal(before, Count("SELECT COUNT(*) FROM Datasets"));
        Assert.Equal(before, Count("SELECT COUNT(*) FROM DatasetSequences"));
    }

    [Fact]
    public async Task APathOutsideTheImportRootIsRefusedBesideThePathField()
    {
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "escape", "../../../../etc/passwd");
        await Assertions.Expect(page.Locator(".server-path-field .mud-input-helper-text")).ToContainTextAsync("outside the import root");
        await Assertions.Expect(ImportJobRow.Of(page, "escape")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ATakenNameIsRefusedBesideTheNameField()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "again.data"), "1\t10\t5\t100\n1\t11\t4\t101\n");
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "demo-markov", "again.data");
        await Assertions.Expect(page.Locator(".mud-input-control:has(#dataset-name) .mud-input-helper-text"))
            .ToContainTextAsync("A dataset named 'demo-markov' exists already");
        await Assertions.Expect(ImportJobRow.Of(page, "demo-markov")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ACsvIsReadWithItsColumnMapping()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        // Columns in an order the defaults do not expect, ';'-separated, with a rating column to filter on.
        var lines = new List<string> { "when;who;stars;what" };
        for (var u = 1; u <= 12; u++)
            for (var t = 0; t < 5; t++)
                lines.Add($"{1000 + t};{u};{(t == 4 ? 1 : 4)};{(u + t) % 9 + 1}");
        File.WriteAllLines(Path.Combine(dashboard.Server.ImportRoot, "mapped.csv"), lines);
        var page = await dashboard.OpenAsync("/datasets");
        await ChooseFormatAsync(page, "CSV");

        // A delimiter that is not one character is refused beside its field, and nothing starts.
        await MudInputs.FillAsync(page, "csv-delimiter", ";;");
        await ImportServerPathAsync(page, "mapped-csv", "mapped.csv");
        await Assertions.Expect(page.Locator(".mud-input-control:has(#csv-delimiter) .mud-input-helper-text")).ToContainTextAsync("not one character");
        await Assertions.Expect(ImportJobRow.Of(page, "mapped-csv")).ToHaveCountAsync(0);

        await MudInputs.FillAsync(page, "csv-delimiter", ";");
        await MudInputs.FillAsync(page, "csv-user", "who");
        await MudInputs.FillAsync(page, "csv-item", "what");
        await MudInputs.FillAsync(page, "csv-timestamp", "when");
        await MudInputs.FillAsync(page, "csv-rating", "stars");
        await MudInputs.FillAsync(page, "min-rating", "3");
        await page.Locator("#import-path").ClickAsync();

        await Assertions.Expect(ImportJobRow.Of(page, "mapped-csv").Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        // Every user keeps the four interactions rated 4; the rating-1 line is filtered out.
        Assert.Equal(1, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'mapped-csv' AND Format = 'csv' AND Users = 12 AND Interactions = 48"));
    }

    private static string TinySasrecFile()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("plaw-upload-").FullName, "tiny-sasrec.txt");
        File.WriteAllLines(file, Enumerable.Range(1, 40).SelectMany(u => Enumerable.Range(0, 6).Select(t => $"{u} {(u * 7 + t * 3) % 50 + 1}")));
        return file;
    }

    [Fact]
    public async Task ChoosingAFileStartsNothingUntilImportIsPressed()
    {
        var page = await dashboard.OpenAsync("/datasets");
        await MudInputs.FillAsync(page, "dataset-name", "chosen-not-sent");
        await ChooseFormatAsync(page, "SASRec text");
        await Assertions.Expect(page.Locator("#import-upload")).ToBeDisabledAsync();
        await page.Locator(".upload-file input[type=file]").SetInputFilesAsync(TinySasrecFile());

        await Assertions.Expect(page.Locator("#chosen-file")).ToContainTextAsync("tiny-sasrec.txt");
        await Assertions.Expect(page.Locator("#import-upload")).ToBeEnabledAsync();
        // Long enough for an upload started on choice to have shown up, as it did before the Import button.
        await page.WaitForTimeoutAsync(2_000);
        await Assertions.Expect(ImportJobRow.Of(page, "chosen-not-sent")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#upload-progress")).ToHaveCountAsync(0);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'chosen-not-sent'"));
        var uploads = Path.Combine(dashboard.Server.DataDirectory, "uploads");
        Assert.True(!Directory.Exists(uploads) || Directory.GetFiles(uploads).Length == 0, "A file was uploaded before Import was pressed.");

        await page.Locator("#import-upload").ClickAsync();
        await Assertions.Expect(ImportJobRow.Of(page, "chosen-not-sent").Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        Assert.Equal(1, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'chosen-not-sent'"));
    }

    [Fact]
    public async Task UploadingASasrecFileImportsIt()
    {
        var page = await dashboard.OpenAsync("/datasets");
        await MudInputs.FillAsync(page, "dataset-name", "uploaded-sasrec");
        await ChooseFormatAsync(page, "SASRec text");
        await page.Locator(".upload-file input[type=file]").SetInputFilesAsync(TinySasrecFile());
        await page.Locator("#import-upload").ClickAsync();

        var job = ImportJobRow.Of(page, "uploaded-sasrec");
        await Assertions.Expect(job.Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#chosen-file")).ToContainTextAsync("No file chosen");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'uploaded-sasrec' AND Format = 'sasrec' AND Users = 40 AND Interactions = 240"));
        Assert.Empty(Directory.GetFiles(Path.Combine(dashboard.Server.DataDirectory, "uploads")));
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "uploaded-sasrec" })).ToBeVisibleAsync();
        var row = page.Locator("#datasets-grid tr", new() { Has = page.Locator("a.dataset-link", new() { HasText = "uploaded-sasrec" }) });
        await Assertions.Expect(row).ToContainTextAsync("SASRec text");
    }

    [Fact]
    public async Task DeletingADatasetAsksFirstThenRemovesItEverywhereIncludingTheImportsList()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "doomed.data"), "1\t10\t5\t100\n1\t11\t4\t101\n1\t12\t4\t102\n");
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "doomed", "doomed.data");
        await Assertions.Expect(ImportJobRow.Of(page, "doomed").Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        var id = Count("SELECT Id FROM Datasets WHERE Name = 'doomed'");
        // The list re-renders when the import completes; click the row it renders then, not the one it replaces.
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "doomed" })).ToBeVisibleAsync();
        // A second person's tab shows the same import; it must lose it too.
        var other = await dashboard.OpenAsync("/datasets");
        await Assertions.Expect(ImportJobRow.Of(other, "doomed")).ToHaveCountAsync(1);

        // Keep: nothing happens.
        await page.Locator("button[aria-label='Delete doomed']").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Delete doomed?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM Datasets WHERE Id = {id}"));

        await page.Locator("button[aria-label='Delete doomed']").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "doomed" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Deleted doomed" })).ToBeVisibleAsync();
        await Assertions.Expect(ImportJobRow.Of(page, "doomed")).ToHaveCountAsync(0);
        await Assertions.Expect(ImportJobRow.Of(other, "doomed")).ToHaveCountAsync(0);
        await Assertions.Expect(other.Locator("a.dataset-link", new() { HasText = "doomed" })).ToHaveCountAsync(0);
        // Deletes are soft (restorable until purged: DatasetSoftDeleteTests): the row stays, marked.
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM Datasets WHERE Id = {id} AND DeletedUtc IS NOT NULL"));

        // A fresh visit does not bring it back either.
        var fresh = await dashboard.OpenAsync("/datasets");
        await Assertions.Expect(fresh.Locator("h1")).ToHaveTextAsync("Datasets");
        await Assertions.Expect(ImportJobRow.Of(fresh, "doomed")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ARunningImportShowsProgressAndCanBeCancelled()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        var file = Path.Combine(dashboard.Server.ImportRoot, "large.data");
        // About 60 MB of MovieLens lines: several seconds of reading, long enough to cancel mid-way.
        using (var writer = new StreamWriter(file))
            for (var i = 0; i < 3_000_000; i++)
                writer.Write($"{i % 50_000 + 1}\t{(long)i * 7919 % 20_000 + 1}\t{i % 5 + 1}\t{880_000_000 + i}\n");
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "cancelled-large", "large.data");

        var job = ImportJobRow.Of(page, "cancelled-large");
        await Assertions.Expect(job.Locator(".import-progress")).ToBeVisibleAsync();
        await job.Locator(".cancel-import").ClickAsync();
        await Assertions.Expect(job.Locator(".import-status")).ToHaveTextAsync("Cancelled", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Import of cancelled-large cancelled" })).ToBeVisibleAsync();
        Assert.Equal(0, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'cancelled-large'"));
        File.Delete(file);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheDatasetsPageIsAccessibleInLightAndDark(bool dark)
    {
        var page = await dashboard.OpenAsync("/datasets", dark: dark);
        await Assertions.Expect(page.Locator("a.dataset-link").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#theme-toggle")).ToHaveAttributeAsync("data-dark", dark ? "true" : "false");
        await Accessibility.AssertCleanAsync(page, $"the datasets page ({(dark ? "dark" : "light")})");
        // With the CSV mapping showing and on the server-path tab: every field there is labelled too.
        await ChooseFormatAsync(page, "CSV");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await Assertions.Expect(page.Locator("#server-path")).ToBeVisibleAsync();
        await Accessibility.AssertCleanAsync(page, $"the datasets page with the CSV mapping ({(dark ? "dark" : "light")})");
        // The delete confirmation too; Keep leaves everything as it was.
        await page.Locator("button[aria-label='Delete demo-markov']").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Delete demo-markov?");
        await Accessibility.AssertCleanAsync(page, $"the delete dialog ({(dark ? "dark" : "light")})");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" }).ClickAsync();
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "demo-markov" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheDatasetsPageFitsA390PixelScreen()
    {
        var page = await dashboard.OpenAsync("/datasets", width: 390);
        await Assertions.Expect(page.Locator("a.dataset-link").First).ToBeVisibleAsync();
        await ChooseFormatAsync(page, "CSV");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "The datasets page overflows 390 px.");
        var import = await page.Locator("#import-path, #import-upload").First.BoundingBoxAsync();
        Assert.NotNull(import);
        Assert.True(import.X >= 0 && import.X + import.Width <= 390, $"The Import button is off-screen at x = {import.X}..{import.X + import.Width}.");
    }
}
