using PLaw.Data.Sequences;
using PLaw.Engine.Training;
using PLaw.Engine.Torch.Runtime;

namespace PLaw.Engine.Torch.Training;

/// <summary>
/// The torch backend in <see cref="TrainingBackends"/>: a host that references PLaw.Engine.Torch calls
/// <see cref="Install"/> once at start-up, and runs with <c>Backend = torch</c> (or <c>auto</c> on CUDA) then train here.
/// Devices: <c>cpu</c>; <c>cuda</c> / <c>cuda:N</c> when libtorch sees that CUDA device (the CUDA build of the package,
/// <c>-p:TorchVariant=cuda</c>, on a GPU host); <c>auto</c> = cuda:0 when there is one, else cpu.
/// </summary>
public sealed class TorchBackend : ITrainingBackend
{
    private TorchBackend() { }

    /// <summary>Registers the torch backend (idempotent).</summary>
    public static void Install() => TrainingBackends.Register(new TorchBackend());

    public string Name => TrainingBackends.Torch;

    public bool HasCuda => CudaDevices() > 0;

    public bool IsAvailable => TorchRuntime.Probe().Loaded;

    public string ResolveDevice(string device)
    {
        RequireLoaded();
        if (device is DeviceNames.Cpu) return DeviceNames.Cpu;
        var cuda = CudaDevices();
        if (device is DeviceNames.Auto) return cuda > 0 ? "cuda:0" : DeviceNames.Cpu;
        if (DeviceNames.CudaIndex(device) is not { } index)
            throw new ArgumentException($"Device '{device}' is not one of auto, cpu, cuda, cuda:N (N = 0, 1, …).");
        if (cuda == 0)
            throw new ArgumentException($"Device {device}: libtorch sees no CUDA device here (the CPU build of TorchSharp, or no GPU or " +
                                        "driver). On a GPU host build with -p:TorchVariant=cuda; here use --device cpu.");
        if (index >= cuda)
            throw new ArgumentException($"Device {device}: this host has {cuda} CUDA device(s), cuda:0 to cuda:{cuda - 1}.");
        return $"cuda:{index}";
    }

    public ITrainingSession Open(RunOptions options, SequenceSet data, string device)
    {
        RequireLoaded();
        return new TorchTrainingSession(options, data, device);
    }

    /// <summary>
    /// Fails with the loader's reason and the fix when libtorch cannot load here. The probe loads the shim itself first:
    /// left to TorchSharp, a failed load prints a trace on standard output and copies libtorch beside the program.
    /// </summary>
    private static void RequireLoaded()
    {
        var probe = TorchRuntime.Probe();
        if (!probe.Loaded) throw new InvalidOperationException($"The torch backend cannot load libtorch: {probe.Problem} {probe.Hint}".TrimEnd());
    }

    private static int CudaDevices()
    {
        var probe = TorchRuntime.Probe();
        return probe.Loaded ? probe.CudaDevices.Count : 0;
    }
}
