using System.Diagnostics;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// The import root and uploads against hostile or broken input (issue #11 probe items 2, 4 and 9): links out of the root,
/// a pipe in it, upload errors that named the server's temporary file, and uploads that never finished.
/// </summary>
public sealed class ImportHardeningTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private string Uploads => Path.Combine(dashboard.Server.DataDirectory, "uploads");

    private long Count(string sql) => RegistryFile.Scalar<long>(dashboard.Server.RegistryPath, sql);

    private static async Task ImportServerPathAsync(IPage page, string name, string relativePath)
    {
        await MudInputs.FillAsync(page, "dataset-name", name);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await MudInputs.FillAsync(page, "server-path", relativePath);
        await page.Locator("#import-path").ClickAsync();
    }

    private static async Task<IReadOnlyList<string>> ListedAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Tab, new() { Name = "Server path" }).ClickAsync();
        await Assertions.Expect(page.Locator(".server-files .mud-chip").First).ToBeVisibleAsync();
        return await page.Locator(".server-files .mud-chip").AllInnerTextsAsync();
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task LinksOutOfTheImportRootAreNeitherListedNorImported()
    {
        var root = dashboard.Server.ImportRoot;
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "inside.data"), "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\t3\t102\n");
        File.CreateSymbolicLink(Path.Combine(root, "inside_link.data"), "inside.data");
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "sub", "nested.data"), "1\t10\t5\t100\n");
        Directory.CreateSymbolicLink(Path.Combine(root, "etc_link"), "/etc");
        File.CreateSymbolicLink(Path.Combine(root, "passwd_link"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), root);

        var page = await dashboard.OpenAsync("/datasets");
        var listed = await ListedAsync(page);
        Assert.Contains("inside.data", listed);
        Assert.Contains("inside_link.data", listed);
        Assert.Contains(Path.Combine("sub", "nested.data"), listed);
        Assert.DoesNotContain(listed, f => f.Contains("passwd", StringComparison.Ordinal) || f.Contains("etc_link", StringComparison.Ordinal)
                                           || f.StartsWith("loop", StringComparison.Ordinal));

        foreach (var path in new[] { "etc_link/passwd", "passwd_link", Path.Combine(root, "etc_link", "hostname") })
        {
            await ImportServerPathAsync(page, "escaped", path);
            await Assertions.Expect(page.Locator(".server-path-field .mud-input-helper-text")).ToContainTextAsync("outside the import root");
        }
        await Assertions.Expect(ImportJobRow.Of(page, "escaped")).ToHaveCountAsync(0);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM Datasets WHERE Name = 'escaped'"));

        // A link that stays inside the root imports what it points at.
        await ImportServerPathAsync(page, "linked-inside", "inside_link.data");
        await Assertions.Expect(ImportJobRow.Of(page, "linked-inside").Locator(".import-status")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task APipeInTheImportRootIsNotListedAndIsRefusedWithoutHanging()
    {
        var root = dashboard.Server.ImportRoot;
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "regular.data"), "1\t10\t5\t100\n");
        Run("mkfifo", Path.Combine(root, "pipe.data"));

        var page = await dashboard.OpenAsync("/datasets");
        var listed = await ListedAsync(page);
        Assert.Contains("regular.data", listed);
        Assert.DoesNotContain("pipe.data", listed);

        await ImportServerPathAsync(page, "piped", "pipe.data");
        await Assertions.Expect(page.Locator(".server-path-field .mud-input-helper-text")).ToContainTextAsync("not a regular file");
        await Assertions.Expect(ImportJobRow.Of(page, "piped")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AFailedUploadNamesTheChosenFileNotTheServersTemporaryCopy()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("plaw-upload-").FullName, "broken-upload.data");
        File.WriteAllText(file, "1\t10\t5\t100\n1\t11\t4\t101\n2\t10\tfive\t102\n");
        var page = await dashboard.OpenAsync("/datasets");
        await MudInputs.FillAsync(page, "dataset-name", "broken-upload");
        await page.Locator(".upload-file input[type=file]").SetInputFilesAsync(file);
        await page.Locator("#import-upload").ClickAsync();

        var job = ImportJobRow.Of(page, "broken-upload");
        await Assertions.Expect(job.Locator(".import-status")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        var error = await job.Locator(".import-error-text").InnerTextAsync();
        Assert.StartsWith("broken-upload.data:3: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain(dashboard.Server.DataDirectory, error, StringComparison.Ordinal);
        Assert.DoesNotContain("uploads", error, StringComparison.Ordinal);
        var snackbar = await page.Locator(".mud-snackbar", new() { HasText = "Import of broken-upload failed" }).InnerTextAsync();
        Assert.DoesNotContain(dashboard.Server.DataDirectory, snackbar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartialUploadsAnEarlierProcessLeftAreDeletedAtStart()
    {
        var data = Directory.CreateTempSubdirectory("plaw-web-test-").FullName;
        var uploads = Directory.CreateDirectory(Path.Combine(data, "uploads")).FullName;
        File.WriteAllText(Path.Combine(uploads, "0123abcd-half.data"), "1\t10\t5\t100\n1\t1");
        await using var server = await DashboardServer.StartAsync(data, new Dictionary<string, string> { ["PLaw__SeedDemoData"] = "false" });
        Assert.Empty(Directory.GetFiles(uploads));
    }

    /// <summary>Polls <paramref name="condition"/> (the server works on its own schedule); fails after a minute.</summary>
    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Gave up waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
