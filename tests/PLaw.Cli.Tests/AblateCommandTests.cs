using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw train --ablate</c> and <c>plaw study --ablations</c>: the HSTU ablations from the command line, named
/// and counted in the run, refused with the flag named where they mean nothing.</summary>
public sealed class AblateCommandTests
{
    private static string WriteWalks()
    {
        var lines = Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(0, 8 + u % 5).Select(t => $"{u} {(u + t * (1 + u % 3)) % 20 + 1}"));
        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-ablate-").FullName, "walks.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static readonly string[] Small = ["--layers", "1", "--dim", "8", "--heads", "2", "--max-len", "6", "--batch", "8", "--threads", "1",
        "--epochs", "1", "--eval-every", "1"];

    [Fact]
    public async Task AnAblatedRunIsNamedAndCountedWithoutWhatItRemoved()
    {
        var file = WriteWalks();
        async Task<JsonElement> TrainAsync(params string[] flags)
        {
            var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", .. Small, "--model", "hstu", .. flags, "--json"]);
            Assert.True(result.ExitCode == 0, result.Error);
            return JsonDocument.Parse(result.Out).RootElement.Clone();
        }
        var full = await TrainAsync();
        var ablated = await TrainAsync("--ablate", "gate, RAB");
        Assert.Equal("hstu-no-rab-no-gate-l1-d8-h2-len6-bce-fp32-s42", ablated.GetProperty("displayName").GetString());
        Assert.Equal("rab,gate", ablated.GetProperty("configuration").GetProperty("ablate").GetString());
        // One block at d = 8, L = 6: U's 8² = 64 weights, w_pos 2·6 − 1 = 11 and w_ts 129.
        long NonEmbedding(JsonElement run) => run.GetProperty("parameters").GetProperty("nonEmbedding").GetInt64();
        Assert.Equal(64 + 11 + 129, NonEmbedding(full) - NonEmbedding(ablated));
    }

    [Theory]
    [InlineData("sasrec", "rab", "--ablate: Ablate rab: ablations switch off HSTU components; Sasrec has none")]
    [InlineData("hstu", "rab,ffn", "--ablate: Ablate 'ffn': not an ablation; valid: rab, silu, gate (or none).")]
    public async Task AnAblationThatMeansNothingExitsTwoNamingTheFlag(string model, string ablate, string message)
    {
        var result = await Plaw.RunAsync(["train", "--data", WriteWalks(), "--format", "sasrec", .. Small, "--model", model, "--ablate", ablate]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStudyCrossesAblationsWithSizes()
    {
        var data = await SmallRegistry.CreateAsync("plaw-cli-ablations-");
        var study = await Plaw.RunAsync("study", "--name", "ablations", "--dataset", "small", "--models", "hstu", "--dims", "8,16",
            "--ablations", "none,rab,silu+gate", "--epochs", "1", "--data-dir", data, "--json");
        Assert.True(study.ExitCode == 0, study.Error);
        var names = JsonDocument.Parse(study.Out).RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(6, names.Count);
        Assert.Contains("hstu-no-silu-no-gate-l2-d16-h1-len50-bce-fp32-s42", names);
        Assert.Equal(2, names.Count(n => n!.StartsWith("hstu-no-rab-l2-", StringComparison.Ordinal)));

        var bad = await Plaw.RunAsync("study", "--name", "bad", "--dataset", "small", "--models", "hstu", "--ablations", "rab,ffn", "--data-dir", data);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--ablations: 'ffn' is not an ablation set", bad.Error, StringComparison.Ordinal);
    }
}
