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
        var model = new Option<string>("--model") { Description = "sasrec | hstu | llama", DefaultValueFactory = _ => "sasrec" };
        var variant = new Option<string?>("--variant") { Description = "sasrec: postln (default) | preln; hstu: reference (default) | plaw." };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 2 };
        var dim = new Option<int>("--dim") { Description = "Width d.", DefaultValueFactory = _ => 50 };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => 1 };
        var maxLen = new Option<int>("--max-len") { Description = "Window length L (newest items kept).", DefaultValueFactory = _ => 50 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step.", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 0.001 };
        var dropout = new Option<double>("--dropout") { Description = "Dropout rate.", DefaultValueFactory = _ => 0.5 };
        var layerDropout = new Option<string?>("--layer-dropout") { Description = "Per-layer dropout, lowest layer first, comma-separated." };
        var loss = new Option<string>("--loss") { Description = "bce | sampled | full", DefaultValueFactory = _ => "bce" };
        var negatives = new Option<int>("--negatives") { Description = "Negatives per position for --loss sampled.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "Sampled-softmax temperature.", DefaultValueFactory = _ => 0.05 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam | adamw | sgd", DefaultValueFactory = _ => "adam" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (matrices only)." };
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up steps." };
        var cosine = new Option<bool>("--cosine") { Description = "Cosine decay of the learning rate over the run." };
        var clip = new Option<double?>("--clip-norm") { Description = "Clip the global gradient norm." };
        var sgdEpoch = new Option<int?>("--sgd-epoch") { Description = "Switch Adam → SGD at this epoch (LSRM)." };
        var sgdPlateau = new Option<bool>("--sgd-on-plateau") { Description = "Switch Adam → SGD when validation NDCG@10 plateaus." };
        var eval = new Option<string>("--eval") { Description = "sampled100 | sampled2500 | full", DefaultValueFactory = _ => "sampled100" };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate every this many epochs (and after the last).", DefaultValueFactory = _ => 20 };
        var precision = new Option<string>("--precision") { Description = "fp32 | bf16 (emulated)", DefaultValueFactory = _ => "fp32" };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (the batch is split across them).", DefaultValueFactory = _ => 2 };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint file, written every epoch and on Ctrl+C." };
        var resume = new Option<bool>("--resume") { Description = "Continue from --checkpoint when it exists." };
        var command = new Command("train", "Train SASRec, HSTU or a LLaMA-style decoder on an interaction file and report leave-one-out metrics.")
        {
            data, model, variant, layers, dim, heads, maxLen, epochs, batch, lr, dropout, layerDropout, loss, negatives, temperature,
            optimizer, weightDecay, warmup, cosine, clip, sgdEpoch, sgdPlateau, eval, evalEvery, precision, seed, threads, checkpoint, resume,
            CommonOptions.Json,
        };
        read.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var options = new RunOptions
            {
                Model = Parse(result.GetValue(model)!, "--model", ("sasrec", ModelFamily.Sasrec), ("hstu", ModelFamily.Hstu), ("llama", ModelFamily.Llama)),
                Variant = result.GetValue(variant) is { } v ? ParseVariant(v) : null,
                Layers = result.GetValue(layers), Dim = result.GetValue(dim), Heads = result.GetValue(heads), MaxLength = result.GetValue(maxLen),
                Epochs = result.GetValue(epochs), BatchSize = result.GetValue(batch), LearningRate = result.GetValue(lr),
                Dropout = result.GetValue(dropout), LayerDropout = ParseRates(result.GetValue(layerDropout)),
                Loss = Parse(result.GetValue(loss)!, "--loss", ("bce", LossKind.Bce), ("sampled", LossKind.SampledSoftmax), ("full", LossKind.FullSoftmax)),
                Negatives = result.GetValue(negatives), Temperature = result.GetValue(temperature),
                Optimizer = Parse(result.GetValue(optimizer)!, "--optimizer", ("adam", OptimizerKind.Adam), ("adamw", OptimizerKind.AdamW), ("sgd", OptimizerKind.Sgd)),
                WeightDecay = result.GetValue(weightDecay), WarmupSteps = result.GetValue(warmup), CosineDecay = result.GetValue(cosine),
                ClipNorm = result.GetValue(clip), SwitchToSgdEpoch = result.GetValue(sgdEpoch), SwitchToSgdOnPlateau = result.GetValue(sgdPlateau),
                Eval = Parse(result.GetValue(eval)!, "--eval", ("sampled100", EvalProtocol.Sampled100), ("sampled2500", EvalProtocol.Sampled2500), ("full", EvalProtocol.Full)),
                EvalEvery = result.GetValue(evalEvery),
                Precision = Parse(result.GetValue(precision)!, "--precision", ("fp32", Precision.Fp32), ("bf16", Precision.Bf16)),
                Seed = result.GetValue(seed), Threads = result.GetValue(threads),
            };
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
            var context = new TrainerContext(result.GetValue(checkpoint), result.GetValue(resume));
            if (context.Resume && context.CheckpointPath is null) throw new ArgumentException("--resume needs --checkpoint <file>.");
            var json = result.GetValue(CommonOptions.Json);
            var path = result.GetValue(data)!.FullName;
            var import = read.Bind(result);
            var sequences = (await CliProgress.RunAsync($"reading {Path.GetFileName(path)}", _ => Task.Run(() =>
                DatasetImporter.Import(path, import, null, ct), ct))).Sequences;
            problems = options.Validate(sequences.ItemCount);
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
            var counts = ParameterCount.Of(options, sequences.ItemCount);
            var lines = json ? Console.Error : Console.Out;
            lines.WriteLine($"{options.DisplayName}: {sequences.UserCount:N0} users, {sequences.ItemCount:N0} items; " +
                            $"{counts.Total:N0} parameters ({counts.Embedding:N0} embedding, {counts.NonEmbedding:N0} non-embedding)");

            RunResult run = null!;
            await CliProgress.Error.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async context2 =>
                {
                    var task = context2.AddTask("training", maxValue: options.Epochs);
                    var reporter = new EventPrinter(task, lines);
                    run = await Trainer.RunAsync(options, sequences, context, reporter, ct);
                    task.Value = options.Epochs;
                });
            if (json)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    configuration = options,
                    displayName = options.DisplayName,
                    parameters = new { embedding = run.Parameters.Embedding, nonEmbedding = run.Parameters.NonEmbedding, total = run.Parameters.Total },
                    gemmBackend = run.GemmBackend,
                    elapsedSeconds = run.Elapsed.TotalSeconds,
                    history = run.History,
                    finalMetrics = run.FinalMetrics,
                }, RegistryJson.Indented));
            else
                CliProgress.Out.MarkupLineInterpolated(
                    $"[bold]final test[/] NDCG@10 {run.FinalMetrics.GetValueOrDefault("NDCG@10"):F4}  HR@10 {run.FinalMetrics.GetValueOrDefault("HR@10"):F4}  MRR {run.FinalMetrics.GetValueOrDefault("MRR"):F4}  ({run.Elapsed.TotalSeconds:F0} s, GEMM {run.GemmBackend})");
            return 0;
        });
        return command;
    }

    private static T Parse<T>(string text, string option, params (string Name, T Value)[] choices)
    {
        foreach (var (name, value) in choices)
            if (string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase)) return value;
        throw new ArgumentException($"{option} '{text}': expected one of {string.Join(", ", choices.Select(c => c.Name))}.");
    }

    private static string ParseVariant(string text) =>
        Parse(text, "--variant", ("postln", Variants.PostLn), ("preln", Variants.PreLn), ("reference", Variants.Reference),
            ("plaw", Variants.PLaw), ("standard", Variants.Standard));

    private static double[]? ParseRates(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.TrimEntries).Select(p =>
            double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r)
                ? r
                : throw new ArgumentException($"--layer-dropout '{text}': '{p}' is not a number.")).ToArray();
    }

    /// <summary>Moves the bar with each step and prints one line per epoch and per evaluation.</summary>
    private sealed class EventPrinter(ProgressTask task, TextWriter lines) : IProgress<TrainingEvent>
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
                    lines.WriteLine($"  {ev.Split,-5} " + string.Join("  ", new[] { "HR@10", "NDCG@10", "HR@50", "NDCG@50", "MRR", "Coverage@10", "loss" }
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
