using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Tests;
using PLaw.Registry.Tests.Runs;
using PLaw.Worker.Queue;

namespace PLaw.Worker.Tests.Queue;

/// <summary>The worker trains on the backend a run asks for and records what trained it on the run.</summary>
public sealed class BackendRecordTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, EvalEvery = 2, Threads = 1 };

    [Fact]
    public async Task ATorchRunAndANativeRunEachRecordTheirBackendDeviceAndComputeLine()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var torchRun = (await catalog.QueueAsync(dataset, Small with { Backend = TrainingBackends.Torch, Device = "cpu" })).Id;
        var nativeRun = (await catalog.QueueAsync(dataset, Small)).Id;
        Assert.Null((await catalog.FindAsync(torchRun))!.Backend); // nothing is recorded before a worker starts it

        var worker = new RunQueueWorker(catalog, registry.Get<MetricStore>(), registry.Get<DatasetCatalog>(), registry.Get<RunFeed>(),
            Options.Create(new PLawOptions { DataDirectory = registry.Directory, QueuePollMilliseconds = 50, MetricFlushMilliseconds = 50 }),
            NullLogger<RunQueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            while (!(await catalog.FindAsync(torchRun, bound.Token))!.Status.IsFinished() ||
                   !(await catalog.FindAsync(nativeRun, bound.Token))!.Status.IsFinished())
                await Task.Delay(50, bound.Token);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        var torch = (await catalog.FindAsync(torchRun))!;
        Assert.True(torch.Status == RunStatus.Completed, torch.Error);
        Assert.Equal(("torch", "cpu"), (torch.Backend, torch.Device));
        Assert.StartsWith("libtorch 2.10", torch.Compute, StringComparison.Ordinal);
        Assert.Contains((await catalog.EventsAsync(torchRun)).Select(e => e.Text), t => t.StartsWith("completed in", StringComparison.Ordinal) && t.EndsWith("on torch (cpu)", StringComparison.Ordinal));

        var native = (await catalog.FindAsync(nativeRun))!;
        Assert.Equal(RunStatus.Completed, native.Status);
        Assert.Equal(("native", "cpu"), (native.Backend, native.Device));
        Assert.StartsWith("GEMM backend: ", native.Compute, StringComparison.Ordinal);
    }
}
