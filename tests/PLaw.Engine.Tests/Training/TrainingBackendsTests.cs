using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

/// <summary>The backend seam without PLaw.Engine.Torch: validation of Backend/Device, and what resolves to what.</summary>
public sealed class TrainingBackendsTests
{
    [Theory]
    [InlineData("native", "auto")]
    [InlineData("native", "cpu")]
    [InlineData("torch", "cuda")]
    [InlineData("torch", "cuda:3")]
    [InlineData("auto", "cuda:12")]
    public void AcceptedBackendsAndDevices(string backend, string device) =>
        Assert.Empty(new RunOptions { Backend = backend, Device = device }.Validate());

    [Theory]
    [InlineData("cuda-thing", "auto", "Backend 'cuda-thing' is not one of native, torch, auto.")]
    [InlineData("Torch", "auto", "Backend 'Torch' is not one of native, torch, auto.")]
    [InlineData("torch", "gpu", "Device 'gpu' is not one of auto, cpu, cuda, cuda:N")]
    [InlineData("torch", "cuda:", "Device 'cuda:' is not one of")]
    [InlineData("torch", "cuda:-1", "Device 'cuda:-1' is not one of")]
    [InlineData("native", "cuda:0", "Device cuda:0: the native engine runs on the CPU only")]
    public void RefusedBackendsAndDevicesSayWhy(string backend, string device, string message) =>
        Assert.StartsWith(message, Assert.Single(new RunOptions { Backend = backend, Device = device }.Validate()), StringComparison.Ordinal);

    [Fact]
    public void NativeIsTheDefaultAndAutoIsNativeWithoutCuda()
    {
        Assert.Equal((TrainingBackends.Native, DeviceNames.Auto), (new RunOptions().Backend, new RunOptions().Device));
        Assert.Equal(TrainingBackends.Native, TrainingBackends.Resolve(new RunOptions()).Backend.Name);
        var (backend, device) = TrainingBackends.Resolve(new RunOptions { Backend = TrainingBackends.Auto });
        Assert.Equal((TrainingBackends.Native, DeviceNames.Cpu), (backend.Name, device));
    }

    [Fact]
    public void TorchWithoutTheTorchAssemblyInstalledNamesTheFix()
    {
        // PLaw.Engine.Tests never references PLaw.Engine.Torch, so nothing installs the torch backend here.
        var e = Assert.Throws<InvalidOperationException>(() => TrainingBackends.Resolve(new RunOptions { Backend = TrainingBackends.Torch }));
        Assert.Contains("TorchBackend.Install()", e.Message, StringComparison.Ordinal);
        // auto on CUDA needs torch too.
        Assert.Throws<InvalidOperationException>(() => TrainingBackends.Resolve(new RunOptions { Backend = TrainingBackends.Auto, Device = "cuda" }));
    }

    [Fact]
    public async Task TheTrainerReportsTheBackendAndDevice()
    {
        var messages = new List<string>();
        var result = await Trainer.RunAsync(new RunOptions { Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, BatchSize = 8, Epochs = 1, Threads = 1 },
            TestData.Walks(), new TrainerContext(), new Collect(messages), CancellationToken.None);
        Assert.Equal((TrainingBackends.Native, DeviceNames.Cpu), (result.Backend, result.Device));
        Assert.Contains(messages, m => m.StartsWith("Backend native on cpu; GEMM backend: ", StringComparison.Ordinal));
    }

    private sealed class Collect(List<string> messages) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            if (value is Message m) messages.Add(m.Text);
        }
    }
}
