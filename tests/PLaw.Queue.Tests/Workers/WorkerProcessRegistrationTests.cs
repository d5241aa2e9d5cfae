using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;
using PLaw.Registry.Workers;

namespace PLaw.Queue.Tests.Workers;

/// <summary>
/// A real <c>plaw worker</c> process registers itself: it is listed live, with the run it trains, by the registry and by
/// <c>plaw workers --json</c>; its own heartbeat moves on; after SIGTERM it is listed stopped, holding nothing. Killed with
/// SIGKILL instead, it is listed lost once its lease has passed.
/// </summary>
public abstract class WorkerProcessRegistrationTests
{
    /// <summary>Far more epochs than the test waits for: the worker is always mid-run when it is signalled.</summary>
    private static readonly RunOptions Long = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 5000, EvalEvery = 5000, Threads = 1 };

    protected abstract Task<TestRegistry> CreateRegistryAsync();

    private static async Task<WorkerSummary?> FindAsync(TestRegistry registry, WorkerProcess process) =>
        (await registry.Get<WorkerRegistry>().ListAsync()).SingleOrDefault(w => w.ProcessId == process.Id && w.Host == Environment.MachineName);

    [Fact]
    public async Task ARunningWorkerIsLiveWithItsRunAndStoppedAfterSigterm()
    {
        await using var registry = await CreateRegistryAsync();
        var dataset = await registry.StoreSmallDatasetAsync();
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, Long);
        // A lease long enough that a loaded machine's late heartbeat never reads as lost while `plaw workers` looks.
        await using var worker = new WorkerProcess(["worker", .. registry.CliArguments, "--lease", "15"]);

        await Wait.UntilAsync(async () => await FindAsync(registry, worker) is { State: WorkerState.Live, Runs: [var r] } && r.Id == run.Id,
            "the worker listed live with its run", context: () => worker.Output);
        var first = (await FindAsync(registry, worker))!;
        Assert.Equal(("plaw", "plaw worker", 1), (first.Program, first.Kind, first.Slots));
        Assert.Equal(first.Id, (await registry.Get<RunCatalog>().FindAsync(run.Id))!.WorkerId);
        // Its own heartbeat (every third of the lease) moves on while it trains.
        await Wait.UntilAsync(async () => (await FindAsync(registry, worker))!.HeartbeatUtc > first.HeartbeatUtc, "the worker's next heartbeat",
            context: () => worker.Output);

        await using (var list = new WorkerProcess(["workers", .. registry.CliArguments, "--json"]))
        {
            Assert.True(await list.ExitCodeAsync(TimeSpan.FromMinutes(2)) == 0, list.Output);
            using var json = JsonDocument.Parse(list.Output);
            var listed = Assert.Single(json.RootElement.EnumerateArray(), w => w.GetProperty("id").GetString() == first.Id);
            Assert.Equal("live", listed.GetProperty("state").GetString());
            Assert.Equal(worker.Id, listed.GetProperty("processId").GetInt32());
            Assert.Equal(run.Id, Assert.Single(listed.GetProperty("runs").EnumerateArray()).GetProperty("id").GetInt32());
        }

        using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        Assert.True(await worker.ExitCodeAsync(TimeSpan.FromMinutes(2)) == 143, worker.Output);    // 128 + SIGTERM
        var stopped = (await FindAsync(registry, worker))!;
        Assert.True(stopped.State == WorkerState.Stopped, $"after SIGTERM the worker is {stopped.State}\n{worker.Output}");
        Assert.NotNull(stopped.StoppedUtc);
        // Its run waits, released, for the next worker; it is no longer this worker's current run.
        Assert.Equal(RunStatus.Running, (await registry.Get<RunCatalog>().FindAsync(run.Id))!.Status);
        Assert.Empty(stopped.Runs);

        await using var table = new WorkerProcess(["workers", .. registry.CliArguments, "--state", "stopped"]);
        Assert.True(await table.ExitCodeAsync(TimeSpan.FromMinutes(2)) == 0, table.Output);
        Assert.Contains($"plaw worker, pid {worker.Id}", table.Output, StringComparison.Ordinal);
        Assert.Contains("stopped", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKilledWorkerIsListedLostOnceItsLeaseHasPassed()
    {
        await using var registry = await CreateRegistryAsync();
        await using var worker = new WorkerProcess(["worker", .. registry.CliArguments, "--lease", "1"]);
        await Wait.UntilAsync(async () => await FindAsync(registry, worker) is { State: WorkerState.Live }, "the worker listed live",
            context: () => worker.Output);
        await worker.KillHardAsync();
        await Wait.UntilAsync(async () => await FindAsync(registry, worker) is { State: WorkerState.Lost }, "the killed worker listed lost",
            context: () => worker.Output);
        Assert.Null((await FindAsync(registry, worker))!.StoppedUtc);

        // A live worker elsewhere, which `--state lost` leaves out.
        var elsewhere = new PLaw.Registry.Runs.RunHolder("elsewhere/1/live", "elsewhere/1", TimeSpan.FromMinutes(10));
        await registry.Get<WorkerRegistry>().RegisterAsync(WorkerRecord.ForThisProcess(elsewhere, [], 1), elsewhere.Lease);
        await using var list = new WorkerProcess(["workers", .. registry.CliArguments, "--state", "lost", "--json"]);
        Assert.True(await list.ExitCodeAsync(TimeSpan.FromMinutes(2)) == 0, list.Output);
        using var json = JsonDocument.Parse(list.Output);
        Assert.Equal(worker.Id, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("processId").GetInt32());
    }

    [Fact]
    public async Task AnUnknownStateIsRefusedNamingTheFlag()
    {
        await using var registry = await CreateRegistryAsync();
        await using var list = new WorkerProcess(["workers", .. registry.CliArguments, "--state", "sleeping"]);
        Assert.NotEqual(0, await list.ExitCodeAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("--state: 'sleeping' is not one of live, lost, stopped.", list.Output, StringComparison.Ordinal);
    }
}

public sealed class SqliteWorkerProcessRegistrationTests : WorkerProcessRegistrationTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerProcessRegistrationTests(PostgresServer server) : WorkerProcessRegistrationTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
