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

/// <summary>PLaw:Devices: the worker trains one run per configured device at once (here two CPU slots; on a GPU host cuda:0,cuda:1).</summary>
public sealed class DeviceSlotTests
{
    private static RunQueueWorker Worker(TemporaryRegistry registry, string? devices) => new(registry.Get<RunCatalog>(), registry.Get<MetricStore>(),
        registry.Get<DatasetCatalog>(), registry.Get<RunFeed>(),
        Options.Create(new PLawOptions { DataDirectory = registry.Directory, QueuePollMilliseconds = 50, MetricFlushMilliseconds = 50, Devices = devices }),
        NullLogger<RunQueueWorker>.Instance);

    [Fact]
    public async Task TwoDeviceSlotsTrainTwoRunsAtOnceEachOnItsSlotsDevice()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        // Long enough to overlap; torch and auto runs take the slot's device.
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 400, EvalEvery = 400, Threads = 1 };
        var a = (await catalog.QueueAsync(dataset, options with { Backend = TrainingBackends.Torch })).Id;
        var b = (await catalog.QueueAsync(dataset, options)).Id;
        var worker = Worker(registry, "cpu, cpu");
        await worker.StartAsync(CancellationToken.None);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            // Progress, not time: both have trained a step while neither has finished.
            while (true)
            {
                var (ra, rb) = ((await catalog.FindAsync(a, bound.Token))!, (await catalog.FindAsync(b, bound.Token))!);
                Assert.False(ra.Status.IsFinished() || rb.Status.IsFinished(), "a run finished before the other started: they did not train at once");
                if (ra.StepsDone > 0 && rb.StepsDone > 0 && ra.Device is not null && rb.Device is not null) break;
                await Task.Delay(50, bound.Token);
            }
            foreach (var id in new[] { a, b }) worker.TryCancelLocal(id);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        var (torch, native) = ((await catalog.FindAsync(a))!, (await catalog.FindAsync(b))!);
        Assert.Equal(("torch", "cpu"), (torch.Backend, torch.Device));
        Assert.Equal(("native", "cpu"), (native.Backend, native.Device));
    }

    [Fact]
    public async Task WithoutDevicesOneSlotTrainsOneRunAtATime()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 400, EvalEvery = 400, Threads = 1 };
        var a = (await catalog.QueueAsync(dataset, options)).Id;
        var b = (await catalog.QueueAsync(dataset, options)).Id;
        var worker = Worker(registry, null);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            while ((await catalog.FindAsync(a, bound.Token))!.StepsDone < 200) await Task.Delay(50, bound.Token);
            Assert.Equal(RunStatus.Queued, (await catalog.FindAsync(b))!.Status);
            worker.TryCancelLocal(a);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ACudaSlotGoesToATorchRunOnAutoAndANativeRunKeepsTheCpu()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1, EvalEvery = 1, Threads = 1 };
        var torch = (await catalog.QueueAsync(dataset, options with { Backend = TrainingBackends.Torch })).Id;
        var native = (await catalog.QueueAsync(dataset, options)).Id;
        var worker = Worker(registry, "cuda:0");
        await worker.StartAsync(CancellationToken.None);
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            while (!(await catalog.FindAsync(torch, bound.Token))!.Status.IsFinished() || !(await catalog.FindAsync(native, bound.Token))!.Status.IsFinished())
                await Task.Delay(50, bound.Token);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
        // This host has no GPU: the torch run was given cuda:0 and says so; the native run trained on the CPU.
        var failed = (await catalog.FindAsync(torch))!;
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("cuda:0: libtorch sees no CUDA device", failed.Error, StringComparison.Ordinal);
        var trained = (await catalog.FindAsync(native))!;
        Assert.Equal((RunStatus.Completed, "native", "cpu"), (trained.Status, trained.Backend, trained.Device));
    }

    [Fact]
    public async Task AnUnknownDeviceStopsTheWorkerWithTheListInTheMessage()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var worker = Worker(registry, "cuda:0,gpu1");
        await worker.StartAsync(CancellationToken.None);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.ExecuteTask!);
        Assert.Equal("PLaw:Devices: 'gpu1' is not one of cpu, cuda, cuda:N (the list was 'cuda:0,gpu1').", e.Message);
        await worker.StopAsync(CancellationToken.None);
    }
}
