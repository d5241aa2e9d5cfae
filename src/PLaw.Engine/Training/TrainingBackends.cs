using System.Collections.Concurrent;
using PLaw.Data.Sequences;

namespace PLaw.Engine.Training;

/// <summary>A way to train: it names itself, resolves a <see cref="RunOptions.Device"/> to the device it will use, and
/// opens a session for a run.</summary>
public interface ITrainingBackend
{
    /// <summary>"native" or "torch": the <see cref="RunOptions.Backend"/> value that picks this backend.</summary>
    string Name { get; }

    /// <summary>Whether this backend can reach a CUDA device on this host (what <c>auto</c> looks at).</summary>
    bool HasCuda { get; }

    /// <summary>Whether this backend can train here at all (torch: libtorch loads); <c>auto</c> passes over one that cannot.</summary>
    bool IsAvailable { get; }

    /// <summary>The concrete device for <paramref name="device"/> ("auto", "cpu", "cuda", "cuda:N"), e.g. "cpu" or "cuda:0";
    /// throws <see cref="ArgumentException"/> naming the device when this backend or host cannot run on it.</summary>
    string ResolveDevice(string device);

    ITrainingSession Open(RunOptions options, SequenceSet data, string device);
}

/// <summary>
/// The training backends this process knows: native always; others register themselves (PLaw.Engine.Torch's
/// <c>TorchBackend.Install()</c>, which a host calls at start-up; PLaw.Engine does not reference TorchSharp).
/// <see cref="Resolve"/> turns a run's <see cref="RunOptions.Backend"/> and <see cref="RunOptions.Device"/> into a backend
/// and a device: <c>auto</c> is native on CPU and torch when the device is CUDA (torch on a CUDA device it can see when the
/// device is <c>auto</c> too), and on the CPU torch from <see cref="CpuTorchFromWidth"/> on (the backend benchmark's crossover).
/// </summary>
public static class TrainingBackends
{
    public const string Native = "native", Torch = "torch", Auto = "auto";

    private static readonly ConcurrentDictionary<string, ITrainingBackend> Installed = new(StringComparer.Ordinal)
    {
        [Native] = new NativeBackend(),
    };

    /// <summary>Adds (or replaces) a backend under its <see cref="ITrainingBackend.Name"/>.</summary>
    public static void Register(ITrainingBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Installed[backend.Name] = backend;
    }

    public static bool IsInstalled(string name) => Installed.ContainsKey(name);

    public static ITrainingBackend Get(string name) => Installed.TryGetValue(name, out var backend)
        ? backend
        : throw new InvalidOperationException(name == Torch
            ? "Backend torch is not installed in this process: the host must reference PLaw.Engine.Torch and call " +
              "PLaw.Engine.Torch.Training.TorchBackend.Install() at start-up (the plaw CLI does). Or use --backend native."
            : $"Backend '{name}' is not installed; installed: {string.Join(", ", Installed.Keys.Order())}.");

    /// <summary>The backend and concrete device a run uses.</summary>
    public static (ITrainingBackend Backend, string Device) Resolve(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var device = options.Device;
        var name = options.Backend;
        if (name == Auto) name = AutoBackend(options);
        var backend = Get(name);
        return (backend, backend.ResolveDevice(device));
    }

    /// <summary>
    /// From this width on, <c>auto</c> trains on torch on the CPU too: libtorch's GEMMs beat the native engine's on wide
    /// models and lose on narrow ones (SASRec on Games, 2 blocks, length 50, 2 threads:
    /// bench/results/backends-sasrec-games-2026-11-30.md).
    /// </summary>
    public const int CpuTorchFromWidth = 256;

    // auto: torch on CUDA; on the CPU, torch from CpuTorchFromWidth when libtorch loads here and the run is fp32 (torch
    // has no bf16 yet), else native.
    private static string AutoBackend(RunOptions options)
    {
        var torch = Installed.GetValueOrDefault(Torch);
        if (options.Task == RunTask.Ranking) return Native; // the ranker is native only (RankingRules)
        if (DeviceNames.IsCuda(options.Device)) return Torch;
        if (options.Device == DeviceNames.Auto && torch is { HasCuda: true }) return Torch;
        return torch is { IsAvailable: true } && options.Dim >= CpuTorchFromWidth && options.Precision == Precision.Fp32 ? Torch : Native;
    }

    /// <summary>Opens a session on the backend and device <see cref="Resolve"/> picks; a ranking run opens the native
    /// <see cref="Ranking.RankingSession"/> (no other backend has a ranker).</summary>
    public static ITrainingSession Open(RunOptions options, SequenceSet data)
    {
        var (backend, device) = Resolve(options);
        if (options.Task == RunTask.Ranking)
            return backend.Name == Native
                ? new Ranking.RankingSession(options, data)
                : throw new ArgumentException($"The ranking task runs on the native engine only, not on backend {backend.Name}; use --backend native.");
        return backend.Open(options, data, device);
    }

    private sealed class NativeBackend : ITrainingBackend
    {
        public string Name => Native;
        public bool HasCuda => false;
        public bool IsAvailable => true;

        public string ResolveDevice(string device) => device is DeviceNames.Auto or DeviceNames.Cpu
            ? DeviceNames.Cpu
            : throw new ArgumentException($"Device {device}: the native engine runs on the CPU only; use --backend torch (or auto) for CUDA.");

        public ITrainingSession Open(RunOptions options, SequenceSet data, string device) => new TrainingSession(options, data);
    }
}
