using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Leases;

/// <summary>
/// Issue #15's exactly-once test: four real <c>plaw worker</c> processes claim 200 tiny queued runs from one PostgreSQL
/// registry at once (FOR UPDATE SKIP LOCKED). Every run is claimed and completed exactly once, by one worker, with every
/// metric point stored once and none missing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresExactlyOnceTests(PostgresServer server, Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public async Task FourWorkersTrainTwoHundredRunsEachExactlyOnce()
    {
        await using var registry = await TestRegistry.CreateAsync(server);
        var dataset = await registry.StoreSmallDatasetAsync(users: 24, items: 20);
        var catalog = registry.Get<RunCatalog>();
        const int Runs = 200;
        var tiny = new RunOptions { Layers = 1, Dim = 4, Heads = 1, MaxLength = 6, Epochs = 1, Threads = 1 };
        for (var i = 0; i < Runs; i++) await catalog.QueueAsync(dataset, tiny with { Seed = i });

        log.WriteLine($"queued at {DateTime.UtcNow:HH:mm:ss.fff}");
        var workers = Enumerable.Range(0, 4)
            .Select(_ => new WorkerProcess(["worker", .. registry.CliArguments, "--until-empty", "--lease", "10"])).ToList();
        try
        {
            string Outputs() => string.Join("\n", workers.Select((w, i) => $"--- worker {i}\n{w.Output}"));
            foreach (var worker in workers)
                Assert.True(await worker.ExitCodeAsync(TimeSpan.FromMinutes(5)) == 0, Outputs());
            log.WriteLine($"workers done at {DateTime.UtcNow:HH:mm:ss.fff}");
            await using var db = registry.OpenContext();
            var byWorker = await ExactlyOnce.AssertAsync(db, Runs, Outputs);
            Assert.True(byWorker.Count == 4, $"every worker should have claimed runs: {string.Join(", ", byWorker)}");
        }
        finally
        {
            foreach (var worker in workers) await worker.DisposeAsync();
        }
    }
}
