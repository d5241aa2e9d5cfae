using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Leases;

/// <summary>
/// Two real <c>plaw worker</c> processes on one SQLite registry, the second started while the first trains (issue #15's
/// probe: the second used to re-queue the first's running run, which was then trained twice). Every run is trained by
/// exactly one of them, once, with every metric point stored once.
/// </summary>
public sealed class TwoWorkerProcessTests
{
    [Fact]
    public async Task ASecondWorkerStartedMidRunLeavesTheFirstsRunAndEveryRunIsTrainedOnce()
    {
        await using var registry = await TestRegistry.CreateAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var catalog = registry.Get<RunCatalog>();
        // The first run is long enough to be mid-run when the second worker starts; the rest are tiny.
        var first = await catalog.QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 300, EvalEvery = 300, Threads = 1 });
        const int Tiny = 30;
        for (var i = 0; i < Tiny; i++)
            await catalog.QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, Threads = 1, Seed = i });

        string[] Worker() => ["worker", .. registry.CliArguments, "--until-empty", "--lease", "5"];
        await using var a = new WorkerProcess(Worker());
        await Wait.UntilAsync(async () => (await catalog.FindAsync(first.Id))!.StepsDone > 0, "the first worker to train", context: () => a.Output);
        await using var b = new WorkerProcess(Worker());
        string Outputs() => $"--- worker A\n{a.Output}\n--- worker B\n{b.Output}";

        var bound = TimeSpan.FromMinutes(4);
        Assert.True(await a.ExitCodeAsync(bound) == 0, Outputs());
        Assert.True(await b.ExitCodeAsync(bound) == 0, Outputs());
        await using var db = registry.OpenContext();
        var byWorker = await ExactlyOnce.AssertAsync(db, Tiny + 1, Outputs);
        Assert.True(byWorker.Count == 2, $"both workers should have trained runs: {string.Join(", ", byWorker)}\n{Outputs()}");
        Assert.DoesNotContain("re-queued", string.Join("\n", await db.RunEvents.Select(e => e.Text).ToListAsync()), StringComparison.Ordinal);
    }
}
