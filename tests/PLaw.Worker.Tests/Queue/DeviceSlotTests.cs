using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Tests.Queue;

/// <summary>PLaw:Devices: the worker trains one run per configured device at once (here two CPU slots; on a GPU host cuda:0,cuda:1).</summary>
public sealed class DeviceSlotTests
{
    // Long enough to overlap: the tests cancel these runs once they have seen what they wait for.
    private static readonly RunOptions Long = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 400, EvalEvery = 400, Threads = 1 };

    [Fact]
    public async Task TwoDeviceSlotsTrainTwoRunsAtOnceEachOnItsSlotsDevice()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        // torch and auto runs take the slot's device.
        var a = await harness.QueueAsync(Long with { Backend = TrainingBackends.Torch });
        var b = await harness.QueueAsync(Long);
        await harness.StartWorkerAsync("cpu, cpu");
        // Progress, not time: both have trained a step while neither has finished.
        await harness.WaitUntilAsync(async () =>
        {
            var (ra, rb) = (await harness.RunAsync(a), await harness.RunAsync(b));
            Assert.False(ra.Status.IsFinished() || rb.Status.IsFinished(), "a run finished before the other started: they did not train at once");
            return ra.StepsDone > 0 && rb.StepsDone > 0 && ra.Device is not null && rb.Device is not null;
        });
        foreach (var id in new[] { a, b }) harness.Worker.TryCancelLocal(id);
        await harness.StopWorkerAsync();

        var (torch, native) = (await harness.RunAsync(a), await harness.RunAsync(b));
        Assert.Equal(("torch", "cpu"), (torch.Backend, torch.Device));
        Assert.Equal(("native", "cpu"), (native.Backend, native.Device));
    }

    [Fact]
    public async Task WithoutDevicesOneSlotTrainsOneRunAtATime()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var a = await harness.QueueAsync(Long);
        var b = await harness.QueueAsync(Long);
        await harness.StartWorkerAsync();
        await harness.WaitUntilAsync(async () => await harness.RunAsync(a) is var r && (r.StepsDone >= 200 || r.Status.IsFinished()));
        Assert.False((await harness.RunAsync(a)).Status.IsFinished(), (await harness.RunAsync(a)).Error);
        Assert.Equal(RunStatus.Queued, (await harness.RunAsync(b)).Status);
        harness.Worker.TryCancelLocal(a);
    }

    [Fact]
    public async Task ACudaSlotGoesToATorchRunOnAutoAndANativeRunKeepsTheCpu()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var options = new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1, EvalEvery = 1, Threads = 1 };
        var torch = await harness.QueueAsync(options with { Backend = TrainingBackends.Torch });
        var native = await harness.QueueAsync(options);
        await harness.StartWorkerAsync("cuda:0");
        await harness.WaitUntilFinishedAsync(torch, native);
        await harness.StopWorkerAsync();

        // This host has no GPU: the torch run was given cuda:0 and says so; the native run trained on the CPU.
        var failed = await harness.RunAsync(torch);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("cuda:0: libtorch sees no CUDA device", failed.Error, StringComparison.Ordinal);
        var trained = await harness.RunAsync(native);
        Assert.Equal((RunStatus.Completed, "native", "cpu"), (trained.Status, trained.Backend, trained.Device));
    }

    [Fact]
    public async Task AnUnknownDeviceStopsTheWorkerWithTheListInTheMessage()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        await harness.StartWorkerAsync("cuda:0,gpu1");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Worker.ExecuteTask!);
        Assert.Equal("PLaw:Devices: 'gpu1' is not one of cpu, cuda, cuda:N (the list was 'cuda:0,gpu1').", e.Message);
    }
}
