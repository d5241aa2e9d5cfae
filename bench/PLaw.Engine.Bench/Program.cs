using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PLaw.Data.Import;
using PLaw.Engine.Kernels;
using PLaw.Engine.Training;

// plaw-engine-bench: long training runs and the speed profile of the engine (results go to bench/results/).
//   train   --data games|ml100k|<file> [RunOptions as --key value] : full run, one line per epoch, final JSON
//   speed   --data games [--epochs 3] [--gemm managed]            : seconds per epoch, GC counts, per-op profile
//   packed  --data games [--epochs 3] [--models SASRec,HSTU,LLaMA] [--gemms openblas,managed] [--profile] [--control] : s/epoch padded vs packed (jagged)
//                                                                   batches, losses of both, bench/results/packed-<date>.md
//   gemm                                                            : GEMM GFLOP/s, OpenBLAS vs managed
//   eval    --data games --checkpoint <file> [--protocols sampled100,full] : re-score a checkpoint on every user
//   select  --data games --checkpoints <file>,<file>,…            : model selection, every user: the checkpoint with
//                                                                   the best validation NDCG@10, and its test score
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "speed";
var opts = ParseArgs(args.Skip(1).ToArray());
if (opts.TryGetValue("gemm", out var gemm) && gemm == "managed") Gemm.Backend = GemmBackend.Managed;

switch (mode)
{
    case "gemm": GemmBench(); return;
    case "train": await Train(); return;
    case "speed": Speed(); return;
    case "packed": PackedBench.Run(args, Load(), opts.GetValueOrDefault("data", "games"), BuildOptions(), opts); return;
    case "eval": EvaluateCheckpoint(); return;
    case "select": SelectOnValidation(); return;
    default: Console.Error.WriteLine($"unknown mode {mode}"); return;
}

static Dictionary<string, string> ParseArgs(string[] a)
{
    var d = new Dictionary<string, string>();
    for (var i = 0; i < a.Length; i++)
        if (a[i].StartsWith("--", StringComparison.Ordinal))
            d[a[i][2..]] = i + 1 < a.Length && !a[i + 1].StartsWith("--", StringComparison.Ordinal) ? a[++i] : "true";
    return d;
}

PLaw.Data.Sequences.SequenceSet Load()
{
    var data = opts.GetValueOrDefault("data", "games");
    var (path, format) = data switch
    {
        "games" => ("/work/shared/data/amazon-games/games.txt", InteractionFormat.Sasrec),
        "ml100k" => ("/work/shared/data/ml-100k/u.data", InteractionFormat.MovieLens),
        _ => (data, InteractionFormats.Parse(opts.GetValueOrDefault("format", "sasrec"))),
    };
    return DatasetImporter.Import(path, new ImportOptions(format)).Sequences;
}

RunOptions BuildOptions()
{
    var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() }, PropertyNameCaseInsensitive = true };
    var node = new System.Text.Json.Nodes.JsonObject();
    foreach (var (k, v) in opts)
    {
        if (k is "data" or "format" or "gemm" or "profile" or "checkpoint" or "keep-checkpoints" or "models" or "gemms" or "control" or "out") continue;
        var name = string.Concat(k.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        node[name] = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var num) ? num
            : bool.TryParse(v, out var b) ? b : v.Contains(',') ? JsonSerializer.SerializeToNode(v.Split(',').Select(double.Parse).ToArray()) : v;
    }
    return JsonSerializer.Deserialize<RunOptions>(node.ToJsonString(), json)!;
}

async Task Train()
{
    var data = Load();
    var options = BuildOptions();
    Console.WriteLine($"# {DateTime.UtcNow:O} train {options.DisplayName} on {opts.GetValueOrDefault("data", "games")}: {data.UserCount} users, {data.ItemCount} items");
    Console.WriteLine($"# options {JsonSerializer.Serialize(options, EnumsAsText.Options)}");
    var counts = ParameterCount.Of(options, data.ItemCount);
    Console.WriteLine($"# parameters {counts.Total} (embedding {counts.Embedding}, non-embedding {counts.NonEmbedding})");
    // --keep-checkpoints: copy the checkpoint saved after each evaluation to <path>.epochN, so the epoch with the best
    // validation score can be re-scored on every user afterwards (model selection on validation, as the papers do).
    // A kept checkpoint must be saved at every evaluation epoch, so then the saving period is the evaluation period.
    var keepEvery = opts.ContainsKey("keep-checkpoints") ? options.EvalEvery : 0;
    var progress = new ConsoleProgress(keepEvery);
    var context = new TrainerContext(opts.GetValueOrDefault("checkpoint"), Resume: opts.ContainsKey("checkpoint"),
        CheckpointEveryEpochs: keepEvery > 0 ? keepEvery : 5);
    var result = await Trainer.RunAsync(options, data, context, progress, CancellationToken.None);
    Console.WriteLine($"# final {JsonSerializer.Serialize(result.FinalMetrics)}");
    Console.WriteLine($"# elapsed {result.Elapsed.TotalSeconds:F0}s, backend {result.GemmBackend}, GC gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
}

void Speed()
{
    var data = Load();
    var options = BuildOptions() with { EvalEvery = 1000 };
    var epochs = int.Parse(opts.GetValueOrDefault("epochs", "3"), CultureInfo.InvariantCulture);
    using var session = new TrainingSession(options, data);
    Console.WriteLine($"# {DateTime.UtcNow:O} speed {options.DisplayName}, backend {Gemm.BackendName}, threads {options.Threads}, " +
                      $"{session.StepsPerEpoch} steps/epoch, {session.Counts.Total} parameters");
    var profile = opts.ContainsKey("profile");
    var seconds = new List<double>();
    for (var e = 1; e <= epochs; e++)
    {
        if (profile && e == epochs) session.EnableProfile();
        var gc0 = GC.CollectionCount(0);
        var gc1 = GC.CollectionCount(1);
        var gc2 = GC.CollectionCount(2);
        var alloc = GC.GetAllocatedBytesForCurrentThread();
        var total = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        while (!session.EpochDone) session.TrainStep();
        sw.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var mean = session.EpochLossSum / session.EpochLossCount;
        Console.WriteLine($"epoch {e}: {sw.Elapsed.TotalSeconds:F2} s wall, {cpuSeconds:F2} s CPU (all threads), load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, loss {mean:F4}, GC gen0/1/2 during epoch {GC.CollectionCount(0) - gc0}/" +
                          $"{GC.CollectionCount(1) - gc1}/{GC.CollectionCount(2) - gc2}, allocated {(GC.GetTotalAllocatedBytes(precise: true) - total) / 1024.0:F0} KiB" +
                          (profile && e == epochs ? " (profiled epoch)" : ""));
        if (!(profile && e == epochs)) seconds.Add(sw.Elapsed.TotalSeconds);
        session.NextEpoch();
        _ = alloc;
    }
    if (seconds.Count > 0)
    {
        var sorted = seconds.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        Console.WriteLine($"median epoch seconds {median:F2} over {sorted.Length} unprofiled epochs (wall; min {sorted[0]:F2})");
    }
    if (session.Profile is { } p)
    {
        var freq = Stopwatch.Frequency;
        Console.WriteLine("profile of the last epoch (worker 0 per op; phases are wall time):");
        foreach (var (k, v) in p.OrderByDescending(kv => kv.Value))
            Console.WriteLine($"  {k,-45} {v / (double)freq,8:F2} s");
    }
    var sw2 = Stopwatch.StartNew();
    var metrics = session.Evaluate(test: true);
    Console.WriteLine($"eval (test, {options.Eval}) {sw2.Elapsed.TotalSeconds:F2} s: NDCG@10 {metrics["NDCG@10"]:F4} HR@10 {metrics["HR@10"]:F4}");
}

// Re-scores a checkpoint on every scored user (not a 10,000-user sample) under each protocol.
void EvaluateCheckpoint()
{
    var data = Load();
    var checkpoint = Checkpoint.Load(opts["checkpoint"]);
    var saved = SavedOptions(checkpoint);
    Console.WriteLine($"# {DateTime.UtcNow:O} eval {saved.DisplayName} from {opts["checkpoint"]} (epoch {checkpoint.Epoch - 1}, step {checkpoint.Step}), all scored users");
    var protocols = opts.TryGetValue("protocols", out var list)
        ? list.Split(',').Select(p => Enum.Parse<EvalProtocol>(p, ignoreCase: true)).ToArray()
        : [EvalProtocol.Sampled100, EvalProtocol.Sampled2500, EvalProtocol.Full];
    foreach (var protocol in protocols)
    {
        using var session = Restored(data, checkpoint, saved, protocol);
        foreach (var test in new[] { false, true })
        {
            var m = session.Evaluate(test);
            Console.WriteLine($"{protocol} {(test ? "test" : "valid")}: " + string.Join(" ", m.Select(kv => $"{kv.Key} {kv.Value:F4}")));
        }
    }
}

// Scores each checkpoint's validation and test split on every scored user (100 sampled negatives) and reports the test
// score of the checkpoint whose validation NDCG@10 is best: the number a paper reports with early stopping.
void SelectOnValidation()
{
    var data = Load();
    Console.WriteLine($"# {DateTime.UtcNow:O} select on validation NDCG@10, all scored users, 100 sampled negatives");
    (string Path, int Epoch, IReadOnlyDictionary<string, double> Valid, IReadOnlyDictionary<string, double> Test)? best = null;
    foreach (var path in opts["checkpoints"].Split(','))
    {
        var checkpoint = Checkpoint.Load(path);
        var saved = SavedOptions(checkpoint);
        using var session = Restored(data, checkpoint, saved, EvalProtocol.Sampled100);
        var (valid, test) = (session.Evaluate(test: false), session.Evaluate(test: true));
        var epoch = checkpoint.Epoch - 1;
        Console.WriteLine($"{saved.DisplayName} epoch {epoch}: valid NDCG@10 {valid["NDCG@10"]:F4} HR@10 {valid["HR@10"]:F4} | " +
                          $"test NDCG@10 {test["NDCG@10"]:F4} HR@10 {test["HR@10"]:F4} ({test["users"]:F0} users)");
        if (best is null || valid["NDCG@10"] > best.Value.Valid["NDCG@10"]) best = (path, epoch, valid, test);
    }
    if (best is { } b)
        Console.WriteLine($"selected epoch {b.Epoch} ({b.Path}): test NDCG@10 {b.Test["NDCG@10"]:F4} HR@10 {b.Test["HR@10"]:F4} " +
                          $"MRR {b.Test["MRR"]:F4}; valid NDCG@10 {b.Valid["NDCG@10"]:F4} HR@10 {b.Valid["HR@10"]:F4}");
}

static RunOptions SavedOptions(Checkpoint checkpoint) =>
    JsonSerializer.Deserialize<RunOptions>(checkpoint.OptionsJson, EnumsAsText.Options)!;

// A session holding a checkpoint's weights, set to score every user (not a sample) under one protocol.
static TrainingSession Restored(PLaw.Data.Sequences.SequenceSet data, Checkpoint checkpoint, RunOptions saved, EvalProtocol protocol)
{
    var session = new TrainingSession(saved with { EvalUsers = 0, Eval = protocol }, data);
    session.Restore(checkpoint);
    return session;
}

// The engine's GEMM shapes (a packed batch's Linear forward, dX and dW; QKV; a 512³ square), both backends, one thread.
// Each shape first runs untimed on both backends (JIT tier-up), then best of three 0.3 s rounds, backends interleaved.
static void GemmBench()
{
    var rng = new Random(1);
    var shapes = new (bool TransA, bool TransB, int M, int N, int K)[]
    {
        (false, true, 760, 50, 50), (false, false, 760, 50, 50), (true, false, 50, 50, 760), (false, true, 760, 150, 50),
        (false, true, 3200, 50, 50), (true, false, 50, 50, 3200), (false, false, 512, 512, 512),
    };
    var backends = OpenBlas.IsAvailable ? new[] { GemmBackend.OpenBlas, GemmBackend.Managed } : [GemmBackend.Managed];
    foreach (var (ta, tb, m, n, k) in shapes)
    {
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var c = new float[m * n];
        var (lda, ldb) = (ta ? m : k, tb ? k : n);
        double Rate(GemmBackend backend, int ms)
        {
            Gemm.Backend = backend;
            var reps = 0;
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < ms)
            {
                Gemm.Multiply(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                reps++;
            }
            return 2.0 * m * n * k * reps / sw.Elapsed.TotalSeconds / 1e9;
        }
        foreach (var backend in backends) Rate(backend, 200);
        var best = backends.ToDictionary(x => x, _ => 0.0);
        for (var round = 0; round < 3; round++)
            foreach (var backend in backends)
                best[backend] = Math.Max(best[backend], Rate(backend, 300));
        Console.WriteLine($"| {(ta ? "Aᵀ" : "A")}·{(tb ? "Bᵀ" : "B")} | {m}×{n}×{k} | " + string.Join(" | ", backends.Select(x => $"{best[x]:F1}")) + " |");
    }
}

static class EnumsAsText
{
    public static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };
}

sealed class ConsoleProgress(int keepEvery = 0) : IProgress<TrainingEvent>
{
    public void Report(TrainingEvent value)
    {
        switch (value)
        {
            case StepCompleted: break;
            case EpochCompleted e: Console.WriteLine($"epoch {e.Epoch} step {e.Step} loss {e.MeanLoss:F4} {e.Seconds:F1}s"); break;
            case EvaluationCompleted ev:
                Console.WriteLine($"  {ev.Split} epoch {ev.Epoch}: " + string.Join(" ", ev.Metrics.Where(kv => kv.Key is "NDCG@10" or "HR@10" or "MRR" or "loss" or "Coverage@10" or "HR@50" or "NDCG@50" or "HR@200")
                    .Select(kv => $"{kv.Key} {kv.Value:F4}")) + $" ({ev.Elapsed.TotalSeconds:F0}s)");
                break;
            case Message m: Console.WriteLine($"# {m.Text}"); break;
            case CheckpointSaved c:
                Console.WriteLine($"# checkpoint epoch {c.Epoch} step {c.Step}");
                if (keepEvery > 0 && c.Epoch % keepEvery == 0) File.Copy(c.Path, $"{c.Path}.epoch{c.Epoch}", overwrite: true);
                break;
        }
        Console.Out.Flush();
    }
}
