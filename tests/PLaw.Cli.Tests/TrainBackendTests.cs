using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw train --backend / --device</c>: a torch run on CPU end to end, and the errors for what cannot run.</summary>
public sealed class TrainBackendTests
{
    private static string WriteWalks()
    {
        var lines = Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(0, 8 + u % 5).Select(t => $"{u} {(u + t * (1 + u % 3)) % 20 + 1}"));
        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-backend-").FullName, "walks.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static readonly string[] Small = ["--layers", "1", "--dim", "8", "--heads", "2", "--max-len", "6", "--batch", "8", "--threads", "1"];

    [Fact]
    public async Task TorchBackendTrainsAndSaysSo()
    {
        var file = WriteWalks();
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", .. Small, "--epochs", "2", "--eval-every", "1",
            "--backend", "Torch", "--device", "cpu", "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("torch", root.GetProperty("backend").GetString());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        Assert.Equal("torch", root.GetProperty("configuration").GetProperty("backend").GetString());
        Assert.Equal(2, root.GetProperty("history").GetArrayLength());
        Assert.InRange(root.GetProperty("finalMetrics").GetProperty("NDCG@10").GetDouble(), 0, 1);
        // The header names backend and device, and the trainer's line how torch computes.
        Assert.Contains("sasrec-l1-d8-h2-len6-bce-fp32-s42 on torch (cpu):", result.Error, StringComparison.Ordinal);
        Assert.Contains("Backend torch on cpu; libtorch ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every model variant trains on torch through the path users run, learns (120 steps take the loss well below its
    /// start), and follows the native engine's run of the same command: same batches and weights, float32 both.
    /// </summary>
    [Theory]
    [InlineData("sasrec", "postln")]
    [InlineData("sasrec", "preln")]
    [InlineData("sasrec", "original")]
    [InlineData("sasrec", "originalproj")]
    [InlineData("hstu", "reference")]
    [InlineData("hstu", "plaw")]
    [InlineData("llama", "standard")]
    public async Task EveryVariantTrainsOnTorchAsOnTheNativeEngine(string model, string variant)
    {
        var file = WriteWalks();
        async Task<double[]> LossesAsync(string backend)
        {
            var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", "--layers", "1", "--dim", "8", "--heads", "2",
                "--max-len", "6", "--batch", "4", "--threads", "1", "--model", model, "--variant", variant, "--epochs", "12",
                "--eval-every", "12", "--dropout", "0", "--lr", "0.02", "--backend", backend, "--device", "cpu", "--json"]);
            Assert.True(result.ExitCode == 0, result.Error);
            using var json = JsonDocument.Parse(result.Out);
            Assert.Equal(backend, json.RootElement.GetProperty("backend").GetString());
            Assert.InRange(json.RootElement.GetProperty("finalMetrics").GetProperty("NDCG@10").GetDouble(), 0, 1);
            return json.RootElement.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("meanLoss").GetDouble()).ToArray();
        }
        var torch = await LossesAsync("torch");
        var native = await LossesAsync("native");
        Assert.True(torch[^1] < 0.85 * torch[0], $"{model}/{variant} on torch did not learn: epoch losses {string.Join(", ", torch)}.");
        for (var e = 0; e < torch.Length; e++)
            Assert.True(Math.Abs(torch[e] - native[e]) <= 1e-3 * native[e],
                $"{model}/{variant}, epoch {e + 1}: torch loss {torch[e]:R}, native {native[e]:R}.");
    }

    [Theory]
    [InlineData("--backend", "cuda-thing", "--backend: 'cuda-thing' is not one of native, torch, auto.")]
    [InlineData("--backend", "cuda", "--backend: 'cuda' is not one of native, torch, auto.")]
    [InlineData("--device", "gpu", "--device: Device 'gpu' is not one of auto, cpu, cuda, cuda:N")]
    [InlineData("--device", "cuda", "--device: Device cuda: the native engine runs on the CPU only")]
    public async Task BadBackendOrDeviceExitsTwoWithOneLine(string flag, string value, string message)
    {
        var file = WriteWalks();
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", .. Small, "--epochs", "1", flag, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("plaw: " + message, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task CudaOnThisCpuOnlyHostIsRefusedBeforeTraining()
    {
        var file = WriteWalks();
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", .. Small, "--epochs", "1", "--backend", "torch", "--device", "cuda:0"]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("plaw: --device: Device cuda:0: libtorch sees no CUDA device", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", result.Out, StringComparison.Ordinal);
    }
}
