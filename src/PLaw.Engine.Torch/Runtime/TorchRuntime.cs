using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Runtime;

/// <summary>
/// Loads libtorch (through TorchSharp) without throwing and reports what it found: whether it loaded and why not, the
/// version, torch's thread counts and the CUDA devices. <c>plaw doctor</c> prints it; a torch run can refuse early with
/// <see cref="TorchRuntimeInfo.Problem"/>.
/// </summary>
public static class TorchRuntime
{
    /// <summary>The native shim TorchSharp calls into; it links libtorch.</summary>
    public static string ShimFile { get; } =
        OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";

    public const string DeviceDetailsMissing = "TorchSharp 0.107 reports no device name or memory (only the count)";

    private static readonly Lazy<TorchRuntimeInfo> Cached = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The probe, run once per process (loading libtorch cannot be undone or retried in a process).</summary>
    public static TorchRuntimeInfo Probe() => Cached.Value;

    private static TorchRuntimeInfo Load()
    {
        var shim = ShimPath();
        var build = BuildBeside(shim);
        // The dynamic loader first, on the very file TorchSharp would load: its error names the cause. TorchSharp's own
        // failure path does not; it prints a trace on standard output and copies libtorch out of the NuGet cache (~0.5 GB)
        // beside the program to try again, so it is never reached for a shim the loader refuses.
        if (shim is null)
        {
            var missing = $"{ShimFile} is not in {AppContext.BaseDirectory} or its runtimes/<rid>/native folder";
            return NotLoaded(missing, HintFor(missing, build), build);
        }
        try
        {
            NativeLibrary.Load(shim); // kept loaded: TorchSharp's load below finds it (and libtorch, through its RUNPATH) in memory
        }
        catch (DllNotFoundException e)
        {
            var why = FirstUsefulLine(e.Message);
            return NotLoaded(why, HintFor(why, build), build);
        }
        try
        {
            InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException
                                      or BadImageFormatException or InvalidOperationException)
        {
            var why = FirstUsefulLine(e.Message);
            return NotLoaded(why, HintFor(why, build), build);
        }

        var count = cuda.is_available() ? cuda.device_count() : 0;
        var devices = Enumerable.Range(0, count).Select(i => new CudaDeviceInfo(i, null, null)).ToList();
        var cudaProblem = count > 0 ? null
            : build == "cuda" ? "the CUDA build of libtorch found no usable GPU (no NVIDIA driver, or CUDA_VISIBLE_DEVICES hides them)"
            : "this is the CPU build of libtorch; on a GPU host build with -p:TorchVariant=cuda (docs/torch.md)";
        return new TorchRuntimeInfo(true, null, null, build, __version__, get_num_threads(), get_num_interop_threads(),
            count > 0, devices, cudaProblem);
    }

    private static TorchRuntimeInfo NotLoaded(string problem, string hint, string? build) =>
        new(false, problem, hint, build, null, null, null, false, [], null);

    /// <summary>
    /// The dynamic loader's error for <paramref name="library"/> (dlerror's text, e.g. "version `GLIBCXX_3.4.32' not found"),
    /// or null when it loads (it is unloaded again).
    /// </summary>
    public static string? NativeLoadError(string library)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(library));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return FirstUsefulLine(e.Message);
        }
    }

    /// <summary>What to do about a load failure: the Debian 12 libstdc++ case has its own fix.</summary>
    public static string HintFor(string problem, string? build) =>
        problem.Contains("GLIBCXX_3.4.32", StringComparison.Ordinal)
            ? "the host's libstdc++ predates GCC 13 (Debian 12): build on this host so the build marks the shim's GLIBCXX_3.4.32 " +
              "requirement weak (build/TorchShim.targets), or install a newer libstdc++; see docs/torch.md"
            : build is null
                ? "the TorchSharp package's native files were not copied beside the program: run the build output of a project " +
                  "that references PLaw.Engine.Torch (dotnet build restores TorchSharp-cpu and copies libtorch); see docs/torch.md"
                : "see docs/torch.md";

    /// <summary>
    /// The line of a load failure a user can act on. .NET puts dlerror's text on the line after its own preamble ("Unable to
    /// load shared library '…' or one of its dependencies. In order to help diagnose loading problems, consider using a tool
    /// like strace…"); other messages lead with their point.
    /// </summary>
    public static string FirstUsefulLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => !l.StartsWith("Unable to load shared library", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? message;
    }

    /// <summary>Where the shim sits in a build output (the RID folder NuGet copies natives into, or beside the program).</summary>
    public static string? ShimPath() => new[]
    {
        Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", ShimFile),
        Path.Combine(AppContext.BaseDirectory, "runtimes", $"{Os}-{Arch}", "native", ShimFile),
        Path.Combine(AppContext.BaseDirectory, ShimFile),
    }.FirstOrDefault(File.Exists);

    /// <summary>"cuda" when libtorch_cuda sits beside the shim, "cpu" when libtorch alone does, null when there is no shim.</summary>
    private static string? BuildBeside(string? shim)
    {
        if (shim is null) return null;
        var folder = Path.GetDirectoryName(shim)!;
        return Directory.EnumerateFiles(folder, "*torch_cuda*").Any() ? "cuda" : "cpu";
    }

    private static string Os => OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";

    private static string Arch => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
}
