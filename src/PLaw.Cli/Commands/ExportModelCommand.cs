using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Engine.Models;
using PLaw.Engine.Torch.Export;
using PLaw.Engine.Torch.Runtime;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw export-model &lt;run&gt; [--format pytorch] [--out file.pt]</c>: a run's latest checkpoint as a PyTorch state_dict
/// (<see cref="PyTorchStateDict"/>), plus a JSON sidecar <c>file.pt.json</c> with the options, item count and layout
/// (kept apart: <c>torch.load</c>'s default weights-only mode and <c>load_state_dict</c> want tensors only). Both files are
/// written to temporary names and moved into place, so a failure leaves neither half-written.
/// </summary>
internal static class ExportModelCommand
{
    public static Command Create()
    {
        var run = new Argument<int>("run") { Description = "Run id (its checkpoint: the last completed epoch, or where it was stopped)." };
        var format = new Option<string>("--format") { Description = "pytorch (a state_dict for torch.load)", DefaultValueFactory = _ => "pytorch" };
        var output = new Option<FileInfo?>("--out") { Description = "The .pt file to write (default: run-<id>.pt here); the sidecar is <file>.json." };
        var command = new Command("export-model", "Export a run's trained weights as a PyTorch state_dict (torch.load in Python), with a JSON sidecar of its options and layout.")
        {
            run, format, output,
        };
        command.SetAction(async (result, ct) =>
        {
            var id = result.GetValue(run);
            if (result.GetValue(format)!.ToLowerInvariant() is var f and not "pytorch")
                throw new ArgumentException($"--format: '{f}' is not a model format plaw writes (pytorch).");
            var target = result.GetValue(output)?.FullName ?? Path.GetFullPath($"run-{id}.pt");
            if (Directory.Exists(target)) throw new ArgumentException($"--out {target} is a folder; give the file to write.");

            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var record = await services.GetRequiredService<RunCatalog>().FindAsync(id, ct)
                         ?? throw new KeyNotFoundException($"Run {id} does not exist (plaw runs lists them).");
            var settings = new PLawOptions();
            if (result.GetValue(CommonOptions.DataDirectory) is { } dir) settings.DataDirectory = dir;
            // Wherever its workers kept it: the registry (downloaded when this host has no copy), or the file its row names.
            LocatedCheckpoint located;
            try
            {
                located = await services.GetRequiredService<CheckpointLocator>().LocateAsync(record, settings.RunsDirectory, ct);
            }
            catch (FileNotFoundException)
            {
                throw new InvalidOperationException($"Run {id} ({record.Status.Label()}) has no checkpoint at " +
                                                    $"{record.CheckpointPath ?? Path.Combine(settings.RunsDirectory, $"run-{id}", "checkpoint.bin")} " +
                                                    "nor in the registry: a run saves one at the end of each epoch and when it is stopped; train it first (plaw worker).");
            }
            using var downloaded = located;
            var checkpointPath = located.Path;
            Checkpoint checkpoint;
            RunOptions options;
            try
            {
                checkpoint = Checkpoint.Load(checkpointPath);
                options = JsonSerializer.Deserialize<RunOptions>(checkpoint.OptionsJson)
                          ?? throw new InvalidDataException("it holds no run options");
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException)
            {
                throw new InvalidOperationException($"Run {id}'s checkpoint {checkpointPath} cannot be read: {e.Message}");
            }
            var dataset = await services.GetRequiredService<DatasetCatalog>().FindAsync(record.DatasetId, ct)
                          ?? throw new KeyNotFoundException($"Run {id}'s dataset ({record.DatasetId}) is no longer in the registry; its item count is unknown.");
            var layout = ModelFactory.Create<float>(options, dataset.Items).Layout;
            if (layout.Length != checkpoint.Weights.Length)
                throw new InvalidOperationException($"{checkpointPath} holds {checkpoint.Weights.Length:N0} weights; {options.DisplayName} over " +
                                               $"{dataset.Items:N0} items has {layout.Length:N0}: the checkpoint does not match the run's options and dataset " +
                                                    "(trained with an older layout of its variant?).");
            if (TorchRuntime.Probe() is { Loaded: false } torch)
                throw new InvalidOperationException($"export-model writes through libtorch, which did not load: {torch.Problem}; {torch.Hint}");

            var sidecar = target + ".json";
            var sidecarJson = JsonSerializer.Serialize(new
            {
                format = "pytorch-state-dict",
                file = Path.GetFileName(target),
                run = id,
                name = record.Name,
                checkpoint = new { epochsCompleted = checkpoint.Epoch - 1, stepsIntoNextEpoch = checkpoint.StepInEpoch, step = checkpoint.Step },
                itemCount = dataset.Items,
                options,
                dtype = "float32",
                parameters = layout.Slots.Select(s => new
                {
                    name = s.Name, shape = PyTorchStateDict.ShapeOf(s), nativeShape = new[] { s.Rows, s.Cols }, offset = s.Offset, embedding = s.IsEmbedding,
                }),
            }, RegistryJson.Indented);
            string[] partial = [target + ".partial", sidecar + ".partial"];
            var sidecarMoved = false;
            try
            {
                await using (var stream = File.Create(partial[0]))
                    PyTorchStateDict.Write(stream, layout, checkpoint.Weights);
                await File.WriteAllTextAsync(partial[1], sidecarJson, ct);
                File.Move(partial[1], sidecar, overwrite: true);
                sidecarMoved = true;
                File.Move(partial[0], target, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                // A sidecar describing a file that was not written would mislead: it goes too.
                foreach (var p in sidecarMoved ? [.. partial, sidecar] : partial)
                    if (File.Exists(p)) File.Delete(p);
                if (e is OperationCanceledException) throw;
                throw new ArgumentException($"--out {target}: cannot write there ({e.Message}).", e);
            }
            var position = checkpoint.StepInEpoch == 0 ? $"after epoch {checkpoint.Epoch - 1}" : $"epoch {checkpoint.Epoch}, step {checkpoint.StepInEpoch}";
            Console.WriteLine($"run {id} ({options.DisplayName}, {position}): " +
                              $"{layout.Slots.Count} tensors, {layout.Length:N0} parameters → {target} (+ {Path.GetFileName(sidecar)})");
            return 0;
        });
        return command;
    }
}
