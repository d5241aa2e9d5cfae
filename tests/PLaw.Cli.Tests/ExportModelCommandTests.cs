using System.Text.Json;
using PLaw.Engine.Models;
using PLaw.Engine.Training;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw export-model</c>: a run trained by the real worker, exported, and read back by PyTorch in Python.</summary>
public sealed class ExportModelCommandTests
{
    private static JsonElement Json(Plaw.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    /// <summary>The small registry with one run queued: SASRec, 1 block, d = 8, length 10; trained for one epoch when asked.</summary>
    private static async Task<(string Data, int Run)> RegistryWithRunAsync(bool train)
    {
        var data = await SmallRegistry.CreateAsync("plaw-cli-export-model-");
        var run = Json(await Plaw.RunAsync("queue", "--dataset", "small", "--layers", "1", "--dim", "8", "--max-len", "10", "--epochs", "1",
            "--batch", "16", "--data-dir", data, "--json")).GetProperty("id").GetInt32();
        if (train)
        {
            var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", data);
            Assert.True(worker.ExitCode == 0, worker.Error);
        }
        return (data, run);
    }

    private const string ReadStateDict = """
        import json, sys, torch
        state = torch.load(sys.argv[1], weights_only=True)  # tensors only: the safe mode newer PyTorch loads by default
        print(json.dumps({k: {"shape": list(t.shape), "dtype": str(t.dtype), "values": t.flatten().tolist()} for k, t in state.items()}))
        """;

    [Fact]
    public async Task TheStateDictLoadsInPythonWithTheCheckpointsWeightsUnderTheNativeNames()
    {
        var (data, run) = await RegistryWithRunAsync(train: true);
        var file = Path.Combine(data, "export", "sasrec.pt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var export = await Plaw.RunAsync("export-model", run.ToString(), "--format", "pytorch", "--out", file, "--data-dir", data);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("after epoch 1", export.Out, StringComparison.Ordinal);

        var checkpoint = Checkpoint.Load(Path.Combine(data, "runs", $"run-{run}", "checkpoint.bin"));
        var options = JsonSerializer.Deserialize<RunOptions>(checkpoint.OptionsJson)!;
        var layout = ModelFactory.Create<float>(options, 20).Layout;
        var state = JsonDocument.Parse(await DebianTorch.RunAsync(ReadStateDict, file)).RootElement;

        Assert.Equal(layout.Slots.Select(s => s.Name), state.EnumerateObject().Select(p => p.Name));
        foreach (var slot in layout.Slots)
        {
            var tensor = state.GetProperty(slot.Name);
            Assert.Equal("torch.float32", tensor.GetProperty("dtype").GetString());
            // [1, d] rows are PyTorch's [d] vectors; matrices keep [Rows, Cols].
            int[] shape = slot.Rows == 1 ? [slot.Cols] : [slot.Rows, slot.Cols];
            Assert.Equal(shape, tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            var values = tensor.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
            Assert.Equal(checkpoint.Weights.AsSpan(slot.Offset, slot.Length).ToArray(), values);
        }
        Assert.Contains(layout.Slots, s => s.Name == "item_emb" && s.Rows == 21);
        Assert.Contains(layout.Slots, s => s.Rows == 1); // the vector case is covered

        var sidecar = JsonDocument.Parse(File.ReadAllText(file + ".json")).RootElement;
        Assert.Equal(20, sidecar.GetProperty("itemCount").GetInt32());
        Assert.Equal(run, sidecar.GetProperty("run").GetInt32());
        Assert.Equal(8, sidecar.GetProperty("options").GetProperty("dim").GetInt32());
        Assert.Equal(1, sidecar.GetProperty("checkpoint").GetProperty("epochsCompleted").GetInt32());
        Assert.Equal(layout.Slots.Select(s => s.Name), sidecar.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.partial"));
    }

    [Fact]
    public async Task BadRequestsAreClearErrorsAndWriteNothing()
    {
        var (data, run) = await RegistryWithRunAsync(train: false);
        var folder = Path.Combine(data, "export");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "m.pt");

        var unknown = await Plaw.RunAsync("export-model", "99", "--out", file, "--data-dir", data);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Run 99 does not exist", unknown.Error, StringComparison.Ordinal);

        var untrained = await Plaw.RunAsync("export-model", run.ToString(), "--out", file, "--data-dir", data);
        Assert.Equal(2, untrained.ExitCode);
        Assert.Contains($"Run {run} (queued) has no checkpoint", untrained.Error, StringComparison.Ordinal);

        var format = await Plaw.RunAsync("export-model", run.ToString(), "--format", "onnx", "--out", file, "--data-dir", data);
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("--format: 'onnx' is not a model format plaw writes (pytorch)", format.Error, StringComparison.Ordinal);

        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", data);
        Assert.True(worker.ExitCode == 0, worker.Error);

        var missingFolder = Path.Combine(folder, "no-such-folder", "m.pt");
        var unwritable = await Plaw.RunAsync("export-model", run.ToString(), "--out", missingFolder, "--data-dir", data);
        Assert.Equal(2, unwritable.ExitCode);
        Assert.Contains($"--out {missingFolder}: cannot write there", unwritable.Error, StringComparison.Ordinal);

        // The sidecar's name is taken by a folder: the state_dict was already written (to its temporary name) when that
        // fails, and must not be left behind, under either name.
        Directory.CreateDirectory(file + ".json");
        var blocked = await Plaw.RunAsync("export-model", run.ToString(), "--out", file, "--data-dir", data);
        Assert.Equal(2, blocked.ExitCode);
        Assert.Contains($"--out {file}: cannot write there", blocked.Error, StringComparison.Ordinal);
        Assert.Equal([file + ".json"], Directory.GetFileSystemEntries(folder));
        Assert.DoesNotContain("   at ", blocked.Error, StringComparison.Ordinal);

        var folderOut = await Plaw.RunAsync("export-model", run.ToString(), "--out", folder, "--data-dir", data);
        Assert.Equal(2, folderOut.ExitCode);
        Assert.Contains("is a folder", folderOut.Error, StringComparison.Ordinal);
    }
}
