using System.CommandLine;
using System.Text.Json;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Engine.Training;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw train --data &lt;file&gt; --format … --model sasrec|hstu|llama [...]</c>: trains a sequential recommender with the
/// PLaw engine. A progress bar on standard error, one line per epoch (loss, metrics, seconds); with <c>--json</c> the
/// final object (configuration, parameter counts, per-epoch history, final metrics) is the only thing on standard output.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "The interaction file to train on.", Required = true };
        var read = new CommonOptions.ReadOptions();
        var flags = new RunOptionFlags();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint file, written every epoch and on Ctrl+C." };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint when it exists." };
        var command = new Command("train", "Train SASRec, HSTU or a LLaMA-style decoder on an interaction file and report leave-one-out metrics. Ctrl+C or SIGTERM: " +
            "checkpoint (with --checkpoint) and exit 130 / 143; a run that cannot fit in memory is refused before training.")
        {
            data, checkpoint, resume, CommonOptions.Json,
        };
        flags.AddTo(command);
        read.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var options = flags.Bind(result);
            RunOptionFlags.ThrowIfInvalid(options);
            // The backend and device, before reading data: a device this host cannot use is refused at once.
            string backend, device;
            try
            {
                (var b, device) = TrainingBackends.Resolve(options);
                backend = b.Name;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(RunOptionFlags.Explain(e.Message), e);
            }
            var context = new TrainerContext(result.GetValue(checkpoint), result.GetValue(resume));
            if (context.Resume && context.CheckpointPath is null) throw new ArgumentException("--resume needs --checkpoint <file>.");
            var json = result.GetValue(CommonOptions.Json);
            var path = result.GetValue(data)!.FullName;
            var import = read.Bind(result);
            var sequences = (await CliProgress.RunAsync($"reading {Path.GetFileName(path)}", _ => Task.Run(() =>
                DatasetImporter.Import(path, import, null, ct), ct))).Sequences;
            // With the catalogue known: the memory the run needs, before any of it is allocated.
            RunOptionFlags.ThrowIfInvalid(options, sequences.ItemCount);
            var counts = ParameterCount.Of(options, sequences.ItemCount);
            var lines = json ? Console.Error : Console.Out;
            lines.WriteLine($"{options.DisplayName} on {backend} ({device}): {sequences.UserCount:N0} users, {sequences.ItemCount:N0} items; " +
                            $"{counts.Total:N0} parameters ({counts.Embedding:N0} embedding, {counts.NonEmbedding:N0} non-embedding)");

            RunResult run = null!;
            await CliProgress.StartAsync("training", options.Epochs, async bar =>
                run = await Trainer.RunAsync(options, sequences, context, new EventPrinter(bar, lines), ct));
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    configuration = options,
                    displayName = options.DisplayName,
                    parameters = new { embedding = run.Parameters.Embedding, nonEmbedding = run.Parameters.NonEmbedding, total = run.Parameters.Total },
                    gemmBackend = run.GemmBackend,
                    backend = run.Backend,
                    device = run.Device,
                    elapsedSeconds = run.Elapsed.TotalSeconds,
                    history = run.History,
                    finalMetrics = run.FinalMetrics,
                }, RegistryJson.Indented));
            else if (options.Task == RunTask.Ranking)
                CliProgress.Out.MarkupLineInterpolated(
                    $"[bold]final test[/] AUC {run.FinalMetrics.GetValueOrDefault("AUC", double.NaN):F4}  GAUC {run.FinalMetrics.GetValueOrDefault("GAUC", double.NaN):F4}  LogLoss {run.FinalMetrics.GetValueOrDefault("LogLoss", double.NaN):F4}  ({run.Elapsed.TotalSeconds:F0} s, GEMM {run.GemmBackend})");
            else
                CliProgress.Out.MarkupLineInterpolated(
                    $"[bold]final test[/] NDCG@10 {run.FinalMetrics.GetValueOrDefault("NDCG@10"):F4}  HR@10 {run.FinalMetrics.GetValueOrDefault("HR@10"):F4}  MRR {run.FinalMetrics.GetValueOrDefault("MRR"):F4}  ({run.Elapsed.TotalSeconds:F0} s, {(run.Backend == TrainingBackends.Native ? $"GEMM {run.GemmBackend}" : $"{run.Backend} on {run.Device}")})");
            return 0;
        });
        return command;
    }

    /// <summary>Moves the bar with each step and prints one line per epoch and per evaluation.</summary>
    private sealed class EventPrinter(CliProgress.IBar task, TextWriter lines) : IProgress<TrainingEvent>
    {
        private int _stepsPerEpoch;

        public void Report(TrainingEvent value)
        {
            switch (value)
            {
                case StepCompleted s:
                    task.Description = $"epoch {s.Epoch} step {s.Step} loss {s.Loss:F4}";
                    if (_stepsPerEpoch > 0) task.Value = s.Epoch - 1 + Math.Min(1, (double)((s.Step - 1) % _stepsPerEpoch + 1) / _stepsPerEpoch);
                    break;
                case EpochCompleted e:
                    if (_stepsPerEpoch == 0 && e.Epoch == 1) _stepsPerEpoch = (int)e.Step;
                    task.Value = e.Epoch;
                    lines.WriteLine($"epoch {e.Epoch,4}  loss {e.MeanLoss:F4}  {e.Seconds,7:F1} s");
                    break;
                case EvaluationCompleted ev:
                    lines.WriteLine($"  {ev.Split,-5} " + string.Join("  ", new[] { "HR@10", "NDCG@10", "HR@50", "NDCG@50", "MRR", "Coverage@10", "loss", "AUC", "GAUC", "LogLoss" }
                        .Where(ev.Metrics.ContainsKey).Select(k => $"{k} {ev.Metrics[k]:F4}")));
                    break;
                case Message m:
                    lines.WriteLine($"  {m.Text}");
                    break;
                case CheckpointSaved c:
                    lines.WriteLine($"  checkpoint (epoch {c.Epoch}, step {c.Step}) → {c.Path}");
                    break;
            }
        }
    }
}
