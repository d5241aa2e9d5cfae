using PLaw.Engine.Kernels;
using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw doctor</c> on this machine: the native engine and the CPU build of libtorch 2.10, no GPU.</summary>
public sealed class DoctorCommandTests
{
    private static string NewFolder() => Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-doctor-").FullName, "data");

    [Fact]
    public async Task OneScreenNamesTheBackendsDevicesBlasThreadsAndRegistry()
    {
        var data = NewFolder();
        var doctor = await Plaw.RunAsync("doctor", "--data-dir", data);
        Assert.True(doctor.ExitCode == 0, doctor.Error + doctor.Out);
        var lines = doctor.Out.Split('\n', StringSplitOptions.TrimEntries);
        // The sections, in order.
        var sections = new[] { "backends", "CUDA devices", "BLAS", "threads", "registry" }
            .Select(s => Array.FindIndex(lines, l => l.StartsWith(s, StringComparison.Ordinal))).ToArray();
        Assert.DoesNotContain(-1, sections);
        Assert.Equal(sections.Order(), sections);

        Assert.Contains(lines, l => l.StartsWith("native   ready", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("torch    ready     libtorch 2.10.", StringComparison.Ordinal) && l.EndsWith("(cpu build)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("none", StringComparison.Ordinal) && l.Contains("-p:TorchVariant=cuda", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == $"processors          {Environment.ProcessorCount}");
        Assert.Contains(lines, l => l.StartsWith("--threads default   2 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("torch               ", StringComparison.Ordinal) && l.EndsWith("inter-op", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == $"folder    {data} (from --data-dir)");
        Assert.Contains(lines, l => l.StartsWith($"database  {Path.Combine(data, "registry.db")} (not created yet", StringComparison.Ordinal));
        Assert.InRange(lines.Count(l => l.Length > 0), 10, 24); // one screen
        Assert.False(Directory.Exists(data), "doctor created the registry folder it only reports");
    }

    [Fact]
    public async Task JsonParsesAndFollowsPlawDataDirLikeTheRegistryCommands()
    {
        var data = NewFolder();
        var doctor = await Plaw.RunWithAsync(new Dictionary<string, string> { ["PLAW_DATA_DIR"] = data }, null, "doctor", "--json");
        Assert.True(doctor.ExitCode == 0, doctor.Error);
        var root = JsonDocument.Parse(doctor.Out).RootElement;
        Assert.True(root.GetProperty("canTrain").GetBoolean());
        var backends = root.GetProperty("backends");
        Assert.True(backends.GetProperty("native").GetProperty("available").GetBoolean());
        var torch = backends.GetProperty("torch");
        Assert.True(torch.GetProperty("available").GetBoolean());
        Assert.StartsWith("2.10.", torch.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal("cpu", torch.GetProperty("build").GetString());
        Assert.False(root.GetProperty("cuda").GetProperty("available").GetBoolean());
        Assert.Equal(0, root.GetProperty("cuda").GetProperty("devices").GetArrayLength());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("threads").GetProperty("processors").GetInt32());
        Assert.InRange(root.GetProperty("threads").GetProperty("torchIntraOp").GetInt32(), 1, 4096);
        var registry = root.GetProperty("registry");
        Assert.Equal(data, registry.GetProperty("dataDirectory").GetString());
        Assert.Equal("$PLAW_DATA_DIR", registry.GetProperty("source").GetString());
        Assert.False(registry.GetProperty("exists").GetBoolean());

        // Once a registry command has created it, doctor finds the same file.
        var runs = await Plaw.RunWithAsync(new Dictionary<string, string> { ["PLAW_DATA_DIR"] = data }, null, "runs");
        Assert.True(runs.ExitCode == 0, runs.Error);
        var after = JsonDocument.Parse((await Plaw.RunWithAsync(new Dictionary<string, string> { ["PLAW_DATA_DIR"] = data }, null, "doctor", "--json")).Out)
            .RootElement.GetProperty("registry");
        Assert.True(after.GetProperty("exists").GetBoolean());
        Assert.Equal(new FileInfo(Path.Combine(data, "registry.db")).Length, after.GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task BlasNamesTheKernelsInUseAndWhy()
    {
        var forced = await Plaw.RunWithAsync(new Dictionary<string, string> { ["PLAW_GEMM"] = "managed" }, null, "doctor", "--json", "--data-dir", NewFolder());
        Assert.True(forced.ExitCode == 0, forced.Error);
        var blas = JsonDocument.Parse(forced.Out).RootElement.GetProperty("blas");
        Assert.Equal("managed", blas.GetProperty("backend").GetString());
        Assert.Contains("PLAW_GEMM=managed", blas.GetProperty("why").GetString(), StringComparison.Ordinal);

        var plain = await Plaw.RunAsync("doctor", "--data-dir", NewFolder());
        Assert.True(plain.ExitCode == 0, plain.Error);
        // Floats run on the C# AVX2 + FMA kernels where the processor has them; OpenBLAS (libopenblas0-pthread, part of the
        // documented setup, as in PLaw.Engine.Tests' GemmTests) when asked for.
        if (Gemm.OrderedFloatKernels)
        {
            Assert.Contains("BLAS       managed: C# AVX2 + FMA kernels", plain.Out, StringComparison.Ordinal);
            Assert.Contains("C# engine, GEMM managed", plain.Out, StringComparison.Ordinal);
        }
        var asked = await Plaw.RunWithAsync(new Dictionary<string, string> { ["PLAW_GEMM"] = "openblas" }, null, "doctor", "--data-dir", NewFolder());
        Assert.True(asked.ExitCode == 0, asked.Error);
        if (Environment.GetEnvironmentVariable("PLAW_EXPECT_NO_OPENBLAS") == "1")
            Assert.Contains("BLAS       managed: ", asked.Out, StringComparison.Ordinal);
        else
        {
            Assert.Contains("BLAS       openblas (libopenblas.so.0)", asked.Out, StringComparison.Ordinal);
            Assert.Contains("C# engine, GEMM openblas", asked.Out, StringComparison.Ordinal);
        }
    }
}
