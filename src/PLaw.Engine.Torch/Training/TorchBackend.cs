using PLaw.Data.Sequences;
using PLaw.Engine.Training;
using TorchSharp;

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

    public string ResolveDevice(string device)
    {
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

    public ITrainingSession Open(RunOptions options, SequenceSet data, string device) => new TorchTrainingSession(options, data, device);

    // Asking loads libtorch; a host where it cannot load has no CUDA for this backend (the session reports the load error).
    private static int CudaDevices()
    {
        try
        {
            return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            return 0;
        }
    }
}
