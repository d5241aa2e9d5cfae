using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using PLaw.Tests.Common;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>Importing, failing to import and deleting datasets from the Datasets page, checked in the registry file.</summary>
public sealed class DatasetImportTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={dashboard.Server.RegistryPath};Mode=ReadOnly");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static async Task ChooseFormatAsync(IPage page, string format)
    {
        await RadzenInputs.ChooseAsync(page, "dataset-format", format);
        await Assertions.Expect(page.Locator("input[name=dataset-format]")).ToHaveValueAsync(format);
    }

    private static async Task ImportServerPathAsync(IPage page, string name, string relativePath)
    {
        await page.Locator("input[name=dataset-name]").FillAsync(name);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await page.Locator("input[name=server-path]").FillAsync(relativePath);
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

        var job = page.Locator(".import-job", new() { HasText = "ml-100k-from-path" });
        await Assertions.Expect(job.Locator(".rz-badge")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await job.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("#entropy-table tbody tr[data-max-len]")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#dataset-summary")).ToContainTextAsync("943 users");
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

        var job = page.Locator(".import-job", new() { HasText = "broken" });
        await Assertions.Expect(job.Locator(".rz-badge")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Assertions.Expect(job.Locator(".import-error-text")).ToContainTextAsync("broken.data:3");
        Assert.Equal(before, Count("SELECT COUNT(*) FROM Datasets"));
        Assert.Equal(before, Count("SELECT COUNT(*) FROM DatasetSequences"));
    }

    [Fact]
    public async Task APathOutsideTheImportRootIsRefused()
    {
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "escape", "../../../../etc/passwd");
        await Assertions.Expect(page.Locator("#import-error")).ToContainTextAsync("outside the import root");
    }

    [Fact]
    public async Task UploadingASasrecFileImportsIt()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("plaw-upload-").FullName, "tiny-sasrec.txt");
        File.WriteAllLines(file, Enumerable.Range(1, 40).SelectMany(u => Enumerable.Range(0, 6).Select(t => $"{u} {(u * 7 + t * 3) % 50 + 1}")));
        var page = await dashboard.OpenAsync("/datasets");
        await page.Locator("input[name=dataset-name]").FillAsync("uploaded-sasrec");
        await ChooseFormatAsync(page, "Sasrec");
        await page.Locator("#upload-file").SetInputFilesAsync(file);

        var job = page.Locator(".import-job", new() { HasText = "uploaded-sasrec" });
        await Assertions.Expect(job.Locator(".rz-badge")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        Assert.Equal(1, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'uploaded-sasrec' AND Users = 40 AND Interactions = 240"));
        Assert.Empty(Directory.GetFiles(Path.Combine(dashboard.Server.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task DeletingADatasetAsksFirstThenRemovesItEverywhere()
    {
        Directory.CreateDirectory(dashboard.Server.ImportRoot);
        File.WriteAllText(Path.Combine(dashboard.Server.ImportRoot, "doomed.data"), "1\t10\t5\t100\n1\t11\t4\t101\n1\t12\t4\t102\n");
        var page = await dashboard.OpenAsync("/datasets");
        await ImportServerPathAsync(page, "doomed", "doomed.data");
        await Assertions.Expect(page.Locator(".import-job", new() { HasText = "doomed" }).Locator(".rz-badge")).ToHaveTextAsync("Completed");
        var id = Count("SELECT Id FROM Datasets WHERE Name = 'doomed'");
        // The list re-renders when the import completes; click the row it renders then, not the one it replaces.
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "doomed" })).ToBeVisibleAsync();

        await page.Locator("button[title='Delete doomed']").ClickAsync();
        await page.Locator(".rz-dialog button", new() { HasText = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("a.dataset-link", new() { HasText = "doomed" })).ToHaveCountAsync(0);
        Assert.Equal(0, Count($"SELECT COUNT(*) FROM Datasets WHERE Id = {id}"));
        Assert.Equal(0, Count($"SELECT COUNT(*) FROM DatasetSequences WHERE DatasetId = {id}"));
    }
}
