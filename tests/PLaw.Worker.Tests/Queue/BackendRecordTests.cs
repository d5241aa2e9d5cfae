using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Tests.Queue;

/// <summary>The worker trains on the backend a run asks for and records what trained it on the run.</summary>
public sealed class BackendRecordTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2, EvalEvery = 2, Threads = 1 };

    [Fact]
    public async Task ATorchRunAndANativeRunEachRecordTheirBackendDeviceAndComputeLine()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var torchRun = await harness.QueueAsync(Small with { Backend = TrainingBackends.Torch, Device = "cpu" });
        var nativeRun = await harness.QueueAsync(Small);
        Assert.Null((await harness.RunAsync(torchRun)).Backend); // nothing is recorded before a worker starts it

        await harness.StartWorkerAsync();
        await harness.WaitUntilFinishedAsync(torchRun, nativeRun);
        await harness.StopWorkerAsync();

        var torch = await harness.RunAsync(torchRun);
        Assert.True(torch.Status == RunStatus.Completed, torch.Error);
        Assert.Equal(("torch", "cpu"), (torch.Backend, torch.Device));
        Assert.StartsWith("libtorch 2.10", torch.Compute, StringComparison.Ordinal);
        Assert.Contains((await harness.Catalog.EventsAsync(torchRun)).Select(e => e.Text), t => t.StartsWith("completed in", StringComparison.Ordinal) && t.EndsWith("on torch (cpu)", StringComparison.Ordinal));

        var native = await harness.RunAsync(nativeRun);
        Assert.Equal(RunStatus.Completed, native.Status);
        Assert.Equal(("native", "cpu"), (native.Backend, native.Device));
        Assert.StartsWith("GEMM backend: ", native.Compute, StringComparison.Ordinal);
    }
}
