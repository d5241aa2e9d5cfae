using System.Text.Json;

namespace PLaw.Cli.Tests;

public sealed class TrainCommandTests
{
    private static string WriteWalks()
    {
        // 30 users walking 20 items with strides 1–3: learnable, tiny.
        var lines = Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(0, 8 + u % 5).Select(t => $"{u} {(u + t * (1 + u % 3)) % 20 + 1}"));
        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-train-").FullName, "walks.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static readonly string[] Small = ["--layers", "1", "--dim", "8", "--heads", "2", "--max-len", "6", "--batch", "8", "--threads", "1"];

    [Fact]
    public async Task JsonHasConfigurationParameterCountsHistoryAndFinalMetrics()
    {
        var file = WriteWalks();
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", .. Small, "--epochs", "2", "--eval-every", "1", "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("sasrec", root.GetProperty("configuration").GetProperty("model").GetString());
        Assert.StartsWith("sasrec-l1-d8-h2-len6-bce-fp32", root.GetProperty("displayName").GetString(), StringComparison.Ordinal);
        var p = root.GetProperty("parameters");
        // (I+1)d + (L+1)d embedding; one block 6d² + 10d plus the final LN 2d.
        Assert.Equal(21 * 8 + 7 * 8, p.GetProperty("embedding").GetInt64());
        Assert.Equal(6 * 64 + 80 + 16, p.GetProperty("nonEmbedding").GetInt64());
        Assert.Equal(2, root.GetProperty("history").GetArrayLength());
        Assert.True(root.GetProperty("history")[1].GetProperty("meanLoss").GetDouble() > 0);
        var final = root.GetProperty("finalMetrics");
        Assert.InRange(final.GetProperty("HR@10").GetDouble(), 0, 1);
        Assert.InRange(final.GetProperty("NDCG@10").GetDouble(), 0, 1);
        Assert.Contains(root.GetProperty("gemmBackend").GetString(), new[] { "openblas", "managed" });
        Assert.Contains("epoch    2", result.Error, StringComparison.Ordinal); // epoch lines go to stderr with --json
    }

    [Fact]
    public async Task PrintsOneLinePerEpochWithoutJson()
    {
        var file = WriteWalks();
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", .. Small, "--epochs", "3", "--eval-every", "3", "--model", "llama"]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(3, result.Out.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains("NDCG@10", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model", "gpt")]
    [InlineData("--loss", "hinge")]
    [InlineData("--heads", "3")]
    [InlineData("--precision", "fp8")]
    public async Task BadOptionsExitTwoWithOneLine(string option, string value)
    {
        var file = WriteWalks();
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", "--epochs", "1", option, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("plaw: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task MissingFileExitsTwo()
    {
        var result = await Plaw.RunAsync("train", "--data", "/no/such/file.txt", "--format", "sasrec");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No interaction file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResumeFromAFinishedCheckpointReportsTheSameMetrics()
    {
        var file = WriteWalks();
        var checkpoint = Path.Combine(Path.GetDirectoryName(file)!, "run.ckpt");
        string[] args = ["train", "--data", file, "--format", "sasrec", .. Small, "--epochs", "2", "--eval-every", "2", "--json", "--checkpoint", checkpoint];
        var first = await Plaw.RunAsync(args);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(File.Exists(checkpoint));
        var again = await Plaw.RunAsync([.. args, "--resume"]);
        Assert.True(again.ExitCode == 0, again.Error);
        using var a = JsonDocument.Parse(first.Out);
        using var b = JsonDocument.Parse(again.Out);
        Assert.Equal(a.RootElement.GetProperty("finalMetrics").GetRawText(), b.RootElement.GetProperty("finalMetrics").GetRawText());
        Assert.Contains("Resumed", again.Error, StringComparison.Ordinal);
    }
}
