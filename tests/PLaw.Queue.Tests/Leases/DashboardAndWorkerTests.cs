using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Leases;

/// <summary>
/// Issue #15's SQLite case: the dashboard (which trains in-process) and a <c>plaw worker</c> on one SQLite registry, the
/// worker started while the dashboard trains. The dashboard used to be the process that re-queued a live run on restart;
/// here neither takes the other's run, and every run is trained exactly once with every point stored once.
/// </summary>
public sealed class DashboardAndWorkerTests
{
    [Fact]
    public async Task AWorkerStartedWhileTheDashboardTrainsTakesOnlyQueuedRunsAndEveryRunIsTrainedOnce()
    {
        await using var registry = await TestRegistry.CreateAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        var first = await catalog.QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 300, EvalEvery = 300, Threads = 1 });
        const int Tiny = 20;
        for (var i = 0; i < Tiny; i++)
            await catalog.QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, Threads = 1, Seed = i });

        var port = DashboardProcess.FreePort();
        await using var dashboard = new DashboardProcess(["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>
        {
            ["PLaw__DataDirectory"] = registry.DataDirectory,
            ["PLaw__SeedDemoData"] = "false",
        });
        // Default leases (30 s): this test is about two live processes, not expiry; a loaded machine can delay a heartbeat by seconds.
        await Wait.UntilAsync(async () => (await catalog.FindAsync(first.Id))!.StepsDone > 0, "the dashboard to train", context: () => dashboard.Log);
        await using var worker = new WorkerProcess(["worker", .. registry.CliArguments]);
        string Outputs() => $"--- dashboard\n{dashboard.Log}\n--- worker\n{worker.Output}";

        await Wait.UntilAsync(async () => (await catalog.ListAsync()).All(r => r.Status.IsFinished()), "every run to finish",
            TimeSpan.FromMinutes(5), Outputs);
        await using var db = registry.OpenContext();
        var byWorker = await ExactlyOnce.AssertAsync(db, Tiny + 1, Outputs);
        Assert.True(byWorker.Count == 2, $"both processes should have trained runs: {string.Join(", ", byWorker)}\n{Outputs()}");
        Assert.DoesNotContain("re-queued", string.Join("\n", await db.RunEvents.Select(e => e.Text).ToListAsync()), StringComparison.Ordinal);
    }
}
