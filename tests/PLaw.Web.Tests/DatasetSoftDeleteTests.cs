using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// Deletes are soft (issue #11 probe item 1): a deleted dataset and its runs vanish from the pages and exports but stay in the
/// registry, listed under Deleted; Restore brings them all back; Purge (after a confirmation) removes the rows and the
/// checkpoint folders for good.
/// </summary>
public sealed class DatasetSoftDeleteTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task DeleteHidesRestoreBringsBackAndPurgeRemovesTheRows()
    {
        await using var server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(server.RegistryPath).BuildServiceProvider();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var catalog = services.GetRequiredService<RunCatalog>();
        var run = await catalog.QueueAsync(demo.Id, new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32 });
        var checkpoint = Path.Combine(server.DataDirectory, "runs", $"run-{run.Id}", "checkpoint.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        await File.WriteAllBytesAsync(checkpoint, [1, 2, 3]);
        await catalog.UpdateAsync(run.Id, r => { r.Status = RunStatus.Completed; r.CheckpointPath = checkpoint; });
        await services.GetRequiredService<MetricStore>().AppendAsync(run.Id, [new(MetricSplits.Train, "loss", 1, 1, 2.5, 0)]);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/datasets");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var listed = page.Locator("#datasets-grid .dataset-link", new() { HasText = "demo-markov" });
        var deletedRow = page.Locator("#deleted-datasets .deleted-dataset", new() { HasText = "demo-markov" });
        await Assertions.Expect(deletedRow).ToHaveCountAsync(0);

        // Delete: the dialog says it can be restored; the dataset and its run leave every list, page and export.
        await page.Locator("button[aria-label='Delete demo-markov']").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Also deleted: 1 run trained on it with their 1 metric points, 1 checkpoint folder.");
        await Assertions.Expect(dialog).ToContainTextAsync("can be restored from Deleted on this page until an admin purges it");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(listed).ToHaveCountAsync(0);
        await Assertions.Expect(deletedRow).ToHaveCountAsync(1);
        await Assertions.Expect(deletedRow).ToContainTextAsync("local");
        Assert.Equal(1L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM Datasets WHERE Id = {demo.Id} AND DeletedUtc IS NOT NULL"));
        Assert.Equal(1L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM Runs WHERE Id = {run.Id}"));
        Assert.True(File.Exists(checkpoint), "A soft delete removed the checkpoint it may have to restore.");
        Assert.Empty(await RunIdsAsync(http));
        await page.GotoAsync($"/datasets/{demo.Id}");
        await Assertions.Expect(page.Locator("#dataset-not-found")).ToBeVisibleAsync();
        await page.GotoAsync($"/runs/{run.Id}");
        await Assertions.Expect(page.Locator("#run-not-found")).ToBeVisibleAsync();

        // Restore: everything is back.
        await page.GotoAsync("/datasets");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("button[aria-label='Restore demo-markov']").ClickAsync();
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await Assertions.Expect(deletedRow).ToHaveCountAsync(0);
        Assert.Equal([run.Id], await RunIdsAsync(http));
        Assert.Equal(0L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM Datasets WHERE DeletedUtc IS NOT NULL"));

        // Delete again, then purge: "Keep" keeps it; "Purge" removes the rows and the checkpoint folder.
        await page.Locator("button[aria-label='Delete demo-markov']").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.Locator("button[aria-label='Purge demo-markov']").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(1L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM Datasets WHERE Id = {demo.Id}"));
        await page.Locator("button[aria-label='Purge demo-markov']").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Purge" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Purged demo-markov" })).ToBeVisibleAsync();
        await Assertions.Expect(deletedRow).ToHaveCountAsync(0);
        Assert.Equal(0L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM Datasets WHERE Id = {demo.Id}"));
        Assert.Equal(0L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM Runs WHERE Id = {run.Id}"));
        Assert.Equal(0L, RegistryFile.Scalar<long>(server.RegistryPath, $"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {run.Id}"));
        Assert.False(Directory.Exists(Path.GetDirectoryName(checkpoint)), "The purged run's checkpoint folder is left behind.");
        // What happened stays on record after the rows are gone.
        Assert.Equal(["purged", "deleted", "restored", "deleted"], RegistryFile.Strings(server.RegistryPath,
            $"SELECT Action FROM AuditEntries WHERE SubjectKind = 'dataset' AND SubjectId = {demo.Id} ORDER BY Id DESC"));
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(false, 1280)]
    [InlineData(true, 390)]
    public async Task TheDeletedSectionIsAccessible(bool dark, int width)
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();
        var datasets = services.GetRequiredService<DatasetCatalog>();
        if (await datasets.FindByNameAsync("demo-markov") is { } demo) Assert.True(await datasets.DeleteAsync(demo.Id));
        var page = await dashboard.OpenAsync("/datasets", dark, width);
        await Assertions.Expect(page.Locator("#deleted-datasets .deleted-dataset")).ToHaveCountAsync(1);
        await Accessibility.AssertCleanAsync(page, $"/datasets with a deleted dataset ({(dark ? "dark" : "light")}, {width} px)");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "The datasets page scrolls sideways at this width.");
        await page.Context.CloseAsync();
    }

    private static async Task<List<int>> RunIdsAsync(HttpClient http)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/runs.json"));
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ToList();
    }
}
