using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Tests;
using PLaw.Registry.Tests.Runs;
using PLaw.Worker.Queue;

namespace PLaw.Worker.Tests.Queue;

/// <summary>
/// What every worker test starts from: a temporary registry with the small synthetic dataset, and the queue worker over
/// it as a host runs it (50 ms polls and metric flushes). Waits are on what the registry shows, never on a clock; a wait
/// fails at once when the worker stops by itself, since nothing would change after that.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    private RunQueueWorker? _worker;

    private WorkerHarness(TemporaryRegistry registry, int dataset)
    {
        Registry = registry;
        Dataset = dataset;
    }

    public static async Task<WorkerHarness> CreateAsync()
    {
        var registry = await TemporaryRegistry.CreateAsync();
        return new WorkerHarness(registry, await RunRegistryData.StoreSmallDatasetAsync(registry));
    }

    public TemporaryRegistry Registry { get; }

    /// <summary>The small synthetic dataset's id.</summary>
    public int Dataset { get; }
    public RunCatalog Catalog => Registry.Get<RunCatalog>();
    public MetricStore Metrics => Registry.Get<MetricStore>();
    public RunQueueWorker Worker => _worker ?? throw new InvalidOperationException("The worker has not been started.");

    /// <summary>Queues a run of <paramref name="options"/> on the small dataset; returns its id.</summary>
    public async Task<int> QueueAsync(RunOptions options) => (await Catalog.QueueAsync(Dataset, options)).Id;

    public async Task<RunRecord> RunAsync(int id) =>
        await Catalog.FindAsync(id) ?? throw new InvalidOperationException($"Run {id} is not in the registry.");

    /// <summary>Starts the worker with <c>PLaw:Devices</c> = <paramref name="devices"/> (null: one CPU slot) and
    /// <c>PLaw:Checkpoints</c> = <paramref name="checkpoints"/> (null: the default, local files on SQLite).</summary>
    public async Task StartWorkerAsync(string? devices = null, string? checkpoints = null)
    {
        _worker = new RunQueueWorker(Catalog, Metrics, Registry.Get<DatasetCatalog>(), Registry.Get<RunFeed>(),
            Options.Create(new PLawOptions
            {
                DataDirectory = Registry.Directory, QueuePollMilliseconds = 50, MetricFlushMilliseconds = 50, Devices = devices,
                Checkpoints = checkpoints,
            }),
            NullLogger<RunQueueWorker>.Instance, Registry.Get<CheckpointStore>());
        await _worker.StartAsync(CancellationToken.None);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        while (!await condition())
        {
            if (Worker.ExecuteTask is { IsCompleted: true } stopped)
                throw new InvalidOperationException("The worker stopped while the test waited on it.", stopped.Exception);
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until every run of <paramref name="runs"/> has finished (completed, failed, cancelled or stopped early).</summary>
    public Task WaitUntilFinishedAsync(params int[] runs) => WaitUntilAsync(async () =>
    {
        foreach (var id in runs)
            if (!(await RunAsync(id)).Status.IsFinished()) return false;
        return true;
    });

    public async Task StopWorkerAsync()
    {
        if (_worker is not { } worker) return;
        _worker = null;
        await worker.StopAsync(CancellationToken.None);
        worker.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        await Registry.DisposeAsync();
    }
}
