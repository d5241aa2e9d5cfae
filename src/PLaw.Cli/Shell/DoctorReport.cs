using PLaw.Engine.Kernels;
using PLaw.Engine.Torch.Runtime;
using PLaw.Engine.Training;
using PLaw.Registry;

namespace PLaw.Cli.Shell;

/// <summary>What <c>plaw doctor</c> finds on this machine: the backends that can train, devices, BLAS, threads, the registry.</summary>
internal sealed record DoctorReport(
    DoctorReport.NativeBackend Native,
    TorchRuntimeInfo Torch,
    DoctorReport.BlasInfo Blas,
    DoctorReport.ThreadInfo Threads,
    DoctorReport.RegistryInfo Registry)
{
    /// <param name="Problem">Why the C# engine cannot train here (its GEMM gave a wrong answer or threw); null when it can.</param>
    public sealed record NativeBackend(bool Works, string? Problem);

    /// <param name="Why">Why the managed kernels are in use instead of OpenBLAS; null with OpenBLAS.</param>
    public sealed record BlasInfo(string Backend, string? Library, string? Why);

    public sealed record ThreadInfo(int Processors, int DefaultRunThreads, int? TorchIntraOp, int? TorchInterOp);

    /// <param name="Source">Which setting chose <see cref="DataDirectory"/>: --data-dir, $PLAW_DATA_DIR, $XDG_DATA_HOME or the default.</param>
    public sealed record RegistryInfo(string DataDirectory, string Source, string RegistryPath, bool Exists, long? SizeBytes, string RunsDirectory);

    /// <summary>Something can train: the native engine, or libtorch.</summary>
    public bool CanTrain => Native.Works || Torch.Loaded;

    public static DoctorReport Gather(string? dataDirectoryFlag)
    {
        var torch = TorchRuntime.Probe();
        return new DoctorReport(CheckNative(), torch, DetectBlas(), new ThreadInfo(Environment.ProcessorCount, new RunOptions().Threads,
            torch.IntraOpThreads, torch.InterOpThreads), LocateRegistry(dataDirectoryFlag));
    }

    /// <summary>A 2×2 product through the engine's GEMM, whichever backend it uses: [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]].</summary>
    private static NativeBackend CheckNative()
    {
        try
        {
            var c = new float[4];
            Gemm.Multiply(false, false, 2, 2, 2, 1f, [1f, 2, 3, 4], 2, [5f, 6, 7, 8], 2, 0f, c, 2);
            return c.SequenceEqual([19f, 22, 43, 50])
                ? new NativeBackend(true, null)
                : new NativeBackend(false, $"GEMM ({Gemm.BackendName}) computed [{string.Join(", ", c)}] for a 2×2 product whose answer is [19, 22, 43, 50]");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return new NativeBackend(false, $"GEMM ({Gemm.BackendName}) failed: {e.Message}");
        }
    }

    private static BlasInfo DetectBlas() =>
        new(Gemm.BackendName, Gemm.Backend == GemmBackend.OpenBlas ? OpenBlas.LibraryName : null, Gemm.BackendReason);

    /// <summary>The folder every registry command uses (<see cref="CliRegistry.OpenAsync"/>), without opening or creating it.</summary>
    private static RegistryInfo LocateRegistry(string? flag)
    {
        var options = new PLawOptions();
        if (!string.IsNullOrWhiteSpace(flag)) options.DataDirectory = flag;
        var source = !string.IsNullOrWhiteSpace(flag) ? "--data-dir"
            : !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PLAW_DATA_DIR")) ? "$PLAW_DATA_DIR"
            : !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("XDG_DATA_HOME")) ? "$XDG_DATA_HOME"
            : "the default, ~/.local/share/plaw";
        var file = new FileInfo(options.RegistryPath);
        return new RegistryInfo(Path.GetFullPath(options.DataDirectory), source, file.FullName, file.Exists, file.Exists ? file.Length : null,
            options.RunsDirectory);
    }
}
