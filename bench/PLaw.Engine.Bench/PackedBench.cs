using System.Diagnostics;
using System.Globalization;
using System.Text;
using PLaw.Engine.Kernels;
using PLaw.Engine.Training;

/// <summary>
/// `packed`: seconds per epoch with padded and with packed (jagged) batches, per model, in one process and one run,
/// with the per-epoch mean losses of both (packing must not move them), and the results file
/// bench/results/packed-&lt;date&gt;.md (commit, command line, date, load before and after).
/// The layouts alternate (padded, packed, padded, packed per model) so a load change hits both alike.
/// </summary>
internal static class PackedBench
{
    public sealed record Config(string Label, RunOptions Options);

    public static void Run(string[] args, PLaw.Data.Sequences.SequenceSet data, string dataName, RunOptions baseOptions,
        Dictionary<string, string> opts)
    {
        var epochs = int.Parse(opts.GetValueOrDefault("epochs", "3"), CultureInfo.InvariantCulture);
        var profile = opts.ContainsKey("profile");
        var o = baseOptions with { EvalEvery = 1000, Epochs = epochs };
        var configs = new List<Config>
        {
            new("SASRec original", o with { Model = ModelFamily.Sasrec, Variant = Variants.Original }),
            new("HSTU reference", o with { Model = ModelFamily.Hstu, Variant = Variants.Reference }),
            new("HSTU P-Law, dropout 0", o with { Model = ModelFamily.Hstu, Variant = Variants.PLaw, Dropout = 0 }),
            new("LLaMA, dropout 0", o with { Model = ModelFamily.Llama, Variant = Variants.Standard, Dropout = 0 }),
        };
        if (opts.TryGetValue("models", out var only))
            configs = configs.Where(c => only.Split(',').Any(m => c.Label.StartsWith(m, StringComparison.OrdinalIgnoreCase))).ToList();
        var loadBefore = Uptime();
        var started = DateTime.UtcNow;
        var md = new StringBuilder();
        md.AppendLine($"# Packed (jagged) vs padded batches, {dataName}, {started:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine($"- commit: `{Git("rev-parse HEAD")}`{(Git("status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")}");
        md.AppendLine($"- command: `{string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Prepend("PLaw.Engine.Bench"))}`");
        md.AppendLine($"- machine: {Environment.ProcessorCount} cores, {o.Threads} worker thread(s); width {o.Dim}, " +
                      $"{o.Layers} blocks, {o.Heads} head(s), length {o.MaxLength}, batch {o.BatchSize}, {epochs} epochs per layout " +
                      "(the first is warm-up and is not in the median)");
        md.AppendLine($"- uptime before: `{loadBefore}`");
        md.AppendLine();
        var control = opts.ContainsKey("control");
        // --gemms openblas,managed: every model under each GEMM in turn, side by side in one run.
        var gemms = opts.GetValueOrDefault("gemms", Gemm.BackendName).Split(',')
            .Select(g => g == "managed" ? GemmBackend.Managed : GemmBackend.OpenBlas).ToArray();
        md.AppendLine("| model | GEMM | padded s/epoch | packed s/epoch | speed-up | padded losses | packed losses | max relative loss difference |" +
                      (control ? " control: padded, managed GEMM, max relative loss difference |" : ""));
        md.AppendLine("|---|---|---|---|---|---|---|---|" + (control ? "---|" : ""));
        var profiles = new StringBuilder();
        double? reference = null;
        foreach (var c in configs)
        foreach (var backend in gemms)
        {
            Gemm.Backend = backend;
            Console.WriteLine($"# {c.Label}, GEMM {Gemm.BackendName}: {c.Options.DisplayName}");
            var padded = Time(c.Options, data, packed: false, profile: false);
            var packed = Time(c.Options, data, packed: true, profile: profile);
            var diff = MaxDifference(padded.Losses, packed.Losses);
            var noise = "";
            if (control)
            {
                // The float32 noise floor: the same padded run with another GEMM (another summation order) only.
                Gemm.Backend = GemmBackend.Managed;
                noise = $" {MaxDifference(padded.Losses, Time(c.Options, data, packed: false, profile: false).Losses):E1} |";
                Gemm.Backend = backend;
            }
            md.AppendLine($"| {c.Label} | {Gemm.BackendName} | {Median(padded.Seconds):F2} | {Median(packed.Seconds):F2} | {Median(padded.Seconds) / Median(packed.Seconds):F1}× | " +
                          $"{string.Join(", ", padded.Losses.Select(l => l.ToString("F6", CultureInfo.InvariantCulture)))} | " +
                          $"{string.Join(", ", packed.Losses.Select(l => l.ToString("F6", CultureInfo.InvariantCulture)))} | {diff:E1} |{noise}");
            if (packed.Profile is { } p)
            {
                reference ??= OneCoreGemmRate();
                profiles.AppendLine($"### {c.Label}, GEMM {Gemm.BackendName}, packed, last epoch");
                profiles.AppendLine();
                profiles.AppendLine("Worker 0 per op (one core; the other worker runs the same ops on the other core); phases are wall time. " +
                                    $"GFLOP/s against one core's 512³ SGEMM, {reference:F1} GFLOP/s measured in this process.");
                profiles.AppendLine();
                profiles.AppendLine("| op | seconds | GFLOP | GFLOP/s | of the SGEMM rate |");
                profiles.AppendLine("|---|---:|---:|---:|---:|");
                foreach (var (k, v) in p.OrderByDescending(kv => kv.Value).Take(24))
                {
                    var s = v / (double)Stopwatch.Frequency;
                    var flops = packed.Flops?.GetValueOrDefault(k) ?? 0;
                    profiles.AppendLine(flops == 0
                        ? $"| {k} | {s:F2} | – | – | – |"
                        : $"| {k} | {s:F2} | {flops / 1e9:F1} | {flops / 1e9 / s:F1} | {flops / 1e9 / s / reference:P0} |");
                }
                profiles.AppendLine();
            }
        }
        md.AppendLine();
        md.AppendLine($"- uptime after: `{Uptime()}` ({(DateTime.UtcNow - started).TotalMinutes:F1} min)");
        md.AppendLine("- s/epoch: median wall seconds of the epochs after the first. Packed: rows only for real positions " +
                      "(models whose pads take part, LLaMA and HSTU P-Law with dropout > 0, keep every row; see the engine README).");
        if (control)
            md.AppendLine("- control: the padded run again with the managed GEMM instead of OpenBLAS (same arithmetic, another " +
                          "summation order): how far float32 rounding alone moves the per-epoch losses over these epochs.");
        md.AppendLine();
        if (profiles.Length > 0) md.Append("## Profiles\n\n").Append(profiles);
        var path = opts.GetValueOrDefault("out", $"bench/results/packed-{started:yyyy-MM-dd}.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, md.ToString());
        Console.Write(md.ToString());
        Console.WriteLine($"# wrote {path}");
    }

    private sealed record Timing(List<double> Seconds, List<double> Losses, Dictionary<string, long>? Profile, Dictionary<string, long>? Flops);

    // One core's achievable rate: a 512³ SGEMM on this thread (the workers' GEMMs are single-threaded too), best of 0.5 s.
    private static double OneCoreGemmRate()
    {
        const int n = 512;
        var rng = new Random(1);
        var a = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var c = new float[n * n];
        var best = 0.0;
        var total = Stopwatch.StartNew();
        while (total.ElapsedMilliseconds < 500)
        {
            var sw = Stopwatch.StartNew();
            Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            best = Math.Max(best, 2.0 * n * n * n / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static Timing Time(RunOptions options, PLaw.Data.Sequences.SequenceSet data, bool packed, bool profile)
    {
        LossHead<float>.PackByDefault = packed;
        using var session = new TrainingSession(options, data);
        var seconds = new List<double>();
        var losses = new List<double>();
        for (var e = 1; e <= options.Epochs; e++)
        {
            if (profile && e == options.Epochs) session.EnableProfile();
            var sw = Stopwatch.StartNew();
            while (!session.EpochDone) session.TrainStep();
            sw.Stop();
            var loss = session.EpochLossSum / session.EpochLossCount;
            Console.WriteLine($"{(packed ? "packed" : "padded")} epoch {e}: {sw.Elapsed.TotalSeconds:F2} s, loss {loss:F6}, " +
                              $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            if (e > 1 || options.Epochs == 1) seconds.Add(sw.Elapsed.TotalSeconds);
            losses.Add(loss);
            session.NextEpoch();
        }
        return new Timing(seconds, losses, session.Profile, session.ProfileFlops);
    }

    private static double MaxDifference(List<double> a, List<double> b) => a.Zip(b, (x, y) => Math.Abs(x - y) / Math.Abs(x)).Max();

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    private static string Uptime() => Shell("uptime", "");

    private static string Git(string arguments) => Shell("git", arguments);

    private static string Shell(string file, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"({file} not available)";
        }
    }
}
