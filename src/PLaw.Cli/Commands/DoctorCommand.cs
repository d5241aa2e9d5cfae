using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PLaw.Cli.Shell;
using PLaw.Engine.Torch.Runtime;
using PLaw.Registry.Storage;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw doctor [--json]</c>: one screen a user on a new machine runs first — the backends that can train (and why one
/// cannot), CUDA devices, BLAS, thread counts and where the registry is. Exit 0 when something can train, 1 when nothing can.
/// </summary>
internal static class DoctorCommand
{
    public const int NothingCanTrain = 1;

    public static Command Create()
    {
        var command = new Command("doctor", "Check this machine: backends (native, torch: libtorch version or why it is missing), CUDA devices, BLAS, " +
                                            "thread counts and the registry's location. Exit 0 when a backend can train, 1 when none can.")
        {
            CommonOptions.Json,
        };
        command.SetAction(result =>
        {
            var report = DoctorReport.Gather(result.GetValue(CommonOptions.DataDirectory));
            if (result.GetValue(CommonOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(Json(report), JsonOptions));
            else Print(report, Console.Out);
            return report.CanTrain ? 0 : NothingCanTrain;
        });
        return command;
    }

    /// <summary>The registry's JSON shape, with paths and messages left readable ('+' and quotes unescaped).</summary>
    private static readonly JsonSerializerOptions JsonOptions = new(RegistryJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Print(DoctorReport r, TextWriter o)
    {
        var t = r.Torch;
        o.WriteLine("backends");
        o.WriteLine(r.Native.Works ? $"  native   ready     C# engine, GEMM {r.Blas.Backend}" : $"  native   BROKEN    {r.Native.Problem}");
        if (t.Loaded) o.WriteLine($"  torch    ready     libtorch {t.Version} ({t.Build} build)");
        else
        {
            o.WriteLine($"  torch    missing   {t.Problem}");
            o.WriteLine($"                     fix: {t.Hint}");
        }

        o.WriteLine("CUDA devices");
        if (!t.Loaded) o.WriteLine("  unknown  libtorch did not load");
        else if (t.CudaDevices.Count == 0) o.WriteLine($"  none     {t.CudaProblem}");
        else
            foreach (var d in t.CudaDevices)
                o.WriteLine($"  {d.Device,-8} {d.Name ?? "name unknown"}, {(d.TotalMemoryBytes is { } m ? Bytes(m) : "memory unknown")}" +
                            (d.Name is null ? $" ({TorchRuntime.DeviceDetailsMissing})" : ""));

        o.WriteLine($"BLAS       {r.Blas.Backend}" + (r.Blas.Library is { } lib ? $" ({lib})" : $": {r.Blas.Why}"));

        o.WriteLine("threads");
        o.WriteLine($"  processors          {r.Threads.Processors}");
        o.WriteLine($"  --threads default   {r.Threads.DefaultRunThreads} (native engine worker threads per run)");
        o.WriteLine(t.Loaded ? $"  torch               {r.Threads.TorchIntraOp} intra-op, {r.Threads.TorchInterOp} inter-op" : "  torch               (not loaded)");

        var g = r.Registry;
        o.WriteLine("registry");
        o.WriteLine($"  folder    {g.DataDirectory} (from {g.Source})");
        o.WriteLine($"  database  {g.RegistryPath} " + (g.Exists ? $"({Bytes(g.SizeBytes!.Value)})" : "(not created yet: the first registry command creates it)"));
        o.WriteLine($"  runs      {g.RunsDirectory}");
        if (!r.CanTrain) o.WriteLine("nothing can train on this machine: see the problems above and docs/torch.md");
    }

    private static object Json(DoctorReport r) => new
    {
        canTrain = r.CanTrain,
        backends = new
        {
            native = new { available = r.Native.Works, problem = r.Native.Problem, gemm = r.Blas.Backend },
            torch = new
            {
                available = r.Torch.Loaded, version = r.Torch.Version, build = r.Torch.Build, problem = r.Torch.Problem, hint = r.Torch.Hint,
            },
        },
        cuda = new
        {
            available = r.Torch.CudaAvailable,
            devices = r.Torch.CudaDevices.Select(d => new { device = d.Device, name = d.Name, totalMemoryBytes = d.TotalMemoryBytes }),
            problem = r.Torch.CudaProblem,
            detailsMissing = r.Torch.CudaDevices.Any(d => d.Name is null) ? TorchRuntime.DeviceDetailsMissing : null,
        },
        blas = r.Blas,
        threads = r.Threads,
        registry = r.Registry,
    };

    private static string Bytes(long n) => n switch
    {
        >= 1L << 30 => (n / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (n / (double)(1L << 20)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (n / (double)(1L << 10)).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => $"{n} B",
    };
}
