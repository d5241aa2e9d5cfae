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
/// Deleting a dataset from the Datasets page (issue #11 probe item 1) on a dashboard that trains nothing, so a queued run
/// stays queued: refused while it is, then a confirmation that names the runs, metrics and checkpoints that go with it and
/// says it can be restored.
/// </summary>
public sealed class DatasetDeleteTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task ADatasetWithAQueuedRunIsKeptAndTheDialogNamesWhatGoesWithIt()
    {
        await using var server = await DashboardServer.StartAsync(environment: new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" });
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(server.RegistryPath).BuildServiceProvider();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var catalog = services.GetRequiredService<RunCatalog>();
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32 };
        var finished = await catalog.QueueAsync(demo.Id, options with { Seed = 1 });
        var checkpoint = Path.Combine(server.DataDirectory, "runs", $"run-{finished.Id}", "checkpoint.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        await File.WriteAllBytesAsync(checkpoint, [1, 2, 3]);
        await catalog.UpdateAsync(finished.Id, r => { r.Status = RunStatus.Completed; r.CheckpointPath = checkpoint; });
        await services.GetRequiredService<MetricStore>().AppendAsync(finished.Id,
            [new(MetricSplits.Train, "loss", 1, 1, 2.5, 0), new(MetricSplits.Train, "loss", 2, 1, 2.0, 0), new(MetricSplits.Test, "NDCG@10", 2, 1, 0.1, 0)]);
        var queued = await catalog.QueueAsync(demo.Id, options with { Seed = 2 });

        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/datasets");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var delete = page.Locator("button[aria-label='Delete demo-markov']");

        // Queued: no dialog, a reason, nothing deleted.
        await delete.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "has 1 queued or running run" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        Assert.NotNull(await services.GetRequiredService<DatasetCatalog>().FindAsync(demo.Id));

        // Cancelled: the dialog says what goes with the dataset.
        await catalog.CancelAsync(queued.Id);
        await delete.ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Also deleted: 2 runs trained on it with their 3 metric points, 1 checkpoint folder.");
        await Assertions.Expect(dialog).ToContainTextAsync("It can be restored from Deleted on this page until an admin purges it");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "Deleted demo-markov" })).ToBeVisibleAsync();
        // Soft: hidden with its runs, kept (checkpoints included) until an admin purges it (DatasetSoftDeleteTests).
        Assert.Null(await services.GetRequiredService<DatasetCatalog>().FindAsync(demo.Id));
        Assert.Empty(await catalog.ListAsync());
        Assert.True(File.Exists(checkpoint), "A soft delete removed a checkpoint that restoring needs.");
        await context.CloseAsync();
    }
}
