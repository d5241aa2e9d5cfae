using System.Diagnostics;
using System.Globalization;
using System.Text;
using PLaw.Data.Import;
using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;

// plaw-backend-bench: seconds per epoch of SASRec, native engine against libtorch, at several widths, in one run.
//   --data games|ml100k|<file> [--format sasrec] --widths 50,128,256,512 [--steps 20] [--warmup 3] [--rounds 2]
//   [--variant postln] [--threads 2] [--out file.md]
// Each measurement times --steps optimiser steps after --warmup untimed ones, on a fresh session; a round measures every
// (width, backend) pair once, native and torch alternating, so drift in machine load touches both. Seconds per epoch =
// median seconds per step × steps per epoch (an epoch at width 512 takes many minutes; its steps all have the same shape).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var opts = new Dictionary<string, string>();
for (var i = 0; i < args.Length; i++)
    if (args[i].StartsWith("--", StringComparison.Ordinal))
        opts[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
int Int(string key, int fallback) => opts.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

TorchBackend.Install();
var dataName = opts.GetValueOrDefault("data", "games");
var (path, format) = dataName switch
{
    "games" => (Path.Combine(SharedData(), "amazon-games", "games.txt"), InteractionFormat.Sasrec),
    "ml100k" => (Path.Combine(SharedData(), "ml-100k", "u.data"), InteractionFormat.MovieLens),
    _ => (dataName, InteractionFormats.Parse(opts.GetValueOrDefault("format", "sasrec"))),
};
var data = DatasetImporter.Import(path, new ImportOptions(format)).Sequences;
var widths = opts.GetValueOrDefault("widths", "50,128,256,512").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
int steps = Int("steps", 20), warmup = Int("warmup", 3), rounds = Int("rounds", 2), threads = Int("threads", 2);
var variant = opts.GetValueOrDefault("variant", Variants.PostLn);
string[] backends = [TrainingBackends.Native, TrainingBackends.Torch];
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var started = DateTime.UtcNow;
var perStep = new Dictionary<(int, string), List<double>>();
var facts = new Dictionary<int, (int StepsPerEpoch, long Parameters)>();

for (var round = 1; round <= rounds; round++)
    foreach (var width in widths)
        foreach (var backend in round % 2 == 1 ? backends : backends.Reverse())
        {
            var options = new RunOptions
            {
                Model = ModelFamily.Sasrec, Variant = variant, Layers = 2, Dim = width, Heads = 1, MaxLength = 50,
                Threads = threads, Backend = backend, Device = "cpu", Epochs = 1000, EvalEvery = 1000,
            };
            using var session = TrainingBackends.Open(options, data);
            facts[width] = (session.StepsPerEpoch, session.Counts.Total);
            for (var s = 0; s < warmup; s++) session.TrainStep();
            var clock = Stopwatch.StartNew();
            for (var s = 0; s < steps; s++) session.TrainStep();
            var seconds = clock.Elapsed.TotalSeconds / steps;
            (perStep.TryGetValue((width, backend), out var list) ? list : perStep[(width, backend)] = []).Add(seconds);
            Console.WriteLine($"round {round} width {width,4} {backend,-6} {seconds * 1000:F1} ms/step " +
                              $"({seconds * session.StepsPerEpoch:F1} s/epoch), load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        }

static double Median(List<double> v)
{
    var s = v.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}

var table = new StringBuilder();
table.AppendLine("| width | parameters | steps/epoch | native s/epoch | torch s/epoch | torch / native |");
table.AppendLine("|---:|---:|---:|---:|---:|---:|");
int? crossover = null;
foreach (var width in widths)
{
    var (stepsPerEpoch, parameters) = facts[width];
    var native = Median(perStep[(width, TrainingBackends.Native)]) * stepsPerEpoch;
    var torchSeconds = Median(perStep[(width, TrainingBackends.Torch)]) * stepsPerEpoch;
    if (torchSeconds < native) crossover ??= width;
    else crossover = null; // the crossover is where torch stays faster for every wider width
    table.AppendLine($"| {width} | {parameters:N0} | {stepsPerEpoch} | {native:F1} | {torchSeconds:F1} | {torchSeconds / native:F2} |");
}

var commit = Git("rev-parse --short HEAD") + (Git("status --porcelain -- src bench").Length > 0 ? " (+uncommitted changes)" : "");
var report = new StringBuilder()
    .AppendLine($"# Backends: SASRec ({variant}, 2 blocks, length 50) on {dataName}, native engine vs libtorch (CPU)")
    .AppendLine()
    .AppendLine($"- command: `{Environment.CommandLine}` (the same as `dotnet run -c Release --project bench/PLaw.Backend.Bench -- {string.Join(' ', args)}`)")
    .AppendLine($"- commit: {commit}")
    .AppendLine($"- date: {started:yyyy-MM-dd HH:mm} UTC; load average before {loadBefore}, after {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores")
    .AppendLine($"- {threads} threads on both backends (native: worker threads; torch: intra-op threads); batch 128, BCE, Adam, fp32, dropout 0.5")
    .AppendLine($"- per (width, backend) and round: {warmup} untimed steps, then {steps} timed; {rounds} rounds, backends alternating; seconds per epoch = median s/step × steps/epoch")
    .AppendLine()
    .Append(table)
    .AppendLine()
    .AppendLine(crossover is { } c
        ? $"Crossover: torch is faster from width {c} on (every measured width ≥ {c})."
        : "Crossover: none; the native engine is faster at every measured width.");
var outPath = opts.GetValueOrDefault("out", Path.Combine(RepoRoot(), "bench", "results", $"backends-sasrec-{dataName}-{started:yyyy-MM-dd}.md"));
File.WriteAllText(outPath, report.ToString());
Console.WriteLine();
Console.Write(report);
Console.WriteLine($"written to {outPath}");

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "PLawDashboard.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("PLawDashboard.sln not found above the bench's folder.");
}

static string SharedData() => Environment.GetEnvironmentVariable("PLAW_SHARED_DATA") ?? Path.Combine(RepoRoot(), "..", "shared", "data");

static string Git(string arguments)
{
    var info = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, WorkingDirectory = RepoRoot() };
    using var p = Process.Start(info)!;
    var text = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return text;
}
