using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PLaw.Data.Synthetic;

// Transfer bench (issue 13, "laws that travel to new data"):
//   markov --out FILE --concentration C [--users N] [--items N] [--seed S]
//       writes a synthetic Markov dataset as 'user item' lines (import it with plaw import --format sasrec) and prints its
//       entropy rate; lower concentration, lower entropy rate.
//   report --data-dir DIR [--plaw PATH] [--metric NDCG@10] [--model sasrec] [--name NAME] [--resamples N]
//       runs plaw predict --leave-one-out on the registry and writes bench/results/transfer-loo-<date>-<name>.md with the
//       per-proxy table, the commit, the command line, the date and the load average.
return args.FirstOrDefault() switch
{
    "markov" => Markov(Options(args[1..])),
    "report" => Report(Options(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: markov --out FILE --concentration C [--users N] [--items N] [--seed S] | report --data-dir DIR [--plaw PATH] [--metric M] [--model F] [--name NAME] [--resamples N]");
    return 2;
}

static Dictionary<string, string> Options(string[] args)
{
    var options = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"expected --option value, found '{args[i]}'.");
        options[args[i][2..]] = args[i + 1];
    }
    return options;
}

static int Markov(Dictionary<string, string> o)
{
    int Int(string key, int fallback) => o.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    var options = new MarkovOptions(Users: Int("users", 800), Items: Int("items", 400),
        Concentration: double.Parse(o["concentration"], CultureInfo.InvariantCulture), MinLength: 20, MaxLength: 80, Seed: Int("seed", 42));
    var data = MarkovSequenceGenerator.Generate(options);
    var text = new StringBuilder();
    for (var u = 0; u < data.Sequences.UserCount; u++)
        foreach (var item in data.Sequences.Sequence(u))
            text.Append(u + 1).Append(' ').Append(item).Append('\n');
    File.WriteAllText(o["out"], text.ToString());
    Console.WriteLine(FormattableString.Invariant($"{o["out"]}: {options.Users} users, {options.Items} items, concentration {options.Concentration}, entropy rate {data.EntropyRateBits:F3} bits"));
    return 0;
}

static int Report(Dictionary<string, string> o)
{
    var root = Git("rev-parse --show-toplevel").Trim();
    var plaw = o.GetValueOrDefault("plaw", Path.Combine(root, "src/PLaw.Cli/bin/Release/net10.0/plaw"));
    var metric = o.GetValueOrDefault("metric", "NDCG@10");
    var model = o.GetValueOrDefault("model", "sasrec");
    string[] arguments = ["predict", "--leave-one-out", "--metric", metric, "--model", model, "--resamples", o.GetValueOrDefault("resamples", "30"),
        "--data-dir", o["data-dir"], "--json"];
    var load = File.ReadAllText("/proc/loadavg").Trim();
    var stopwatch = Stopwatch.StartNew();
    var json = Run(plaw, arguments);
    var table = Run(plaw, arguments[..^1]);
    var seconds = stopwatch.Elapsed.TotalSeconds;
    using var document = JsonDocument.Parse(json);
    var r = document.RootElement;

    var md = new StringBuilder();
    var date = DateTime.UtcNow;
    md.AppendLine(CultureInfo.InvariantCulture, $"# Leave-one-dataset-out error of the transfer law ({metric}, {model})");
    md.AppendLine();
    md.AppendLine(CultureInfo.InvariantCulture, $"- commit: `{Git("rev-parse HEAD").Trim()}`{(Git("status --porcelain --untracked-files=no").Trim().Length > 0 ? " (with uncommitted changes)" : "")}");
    md.AppendLine(CultureInfo.InvariantCulture, $"- command: `plaw {string.Join(' ', arguments)}` (and the same without --json for the table below)");
    md.AppendLine(CultureInfo.InvariantCulture, $"- date: {date:yyyy-MM-dd HH:mm} UTC; load average before: `{load}`; after: `{File.ReadAllText("/proc/loadavg").Trim()}`; both commands took {seconds:F0} s");
    md.AppendLine(CultureInfo.InvariantCulture, $"- datasets with runs: {string.Join(", ", r.GetProperty("datasets").EnumerateArray().Select(d => $"{d.GetProperty("dataset").GetString()} ({d.GetProperty("runs").GetInt32()} runs)"))}");
    md.AppendLine(CultureInfo.InvariantCulture, $"- best proxy: **{(r.GetProperty("best").ValueKind == JsonValueKind.Null ? "none" : r.GetProperty("best").GetString())}**");
    md.AppendLine();
    md.AppendLine("Each dataset with runs is held out in turn; the joint law D_k = c·q_k is fitted on the other datasets' runs and predicts the");
    md.AppendLine("held-out dataset's runs from its entropy table alone. Errors are means over the held-out dataset's runs, then over datasets.");
    md.AppendLine();
    var heldOut = r.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("dataset").GetString()!).ToList();
    md.AppendLine("| proxy | q | datasets predicted | mean abs. error | mean rel. error | runs in 90 % interval | " + string.Join(" | ", heldOut.Select(h => $"abs. error {h}")) + " |");
    md.AppendLine("|---|---|---|---|---|---|" + string.Concat(heldOut.Select(_ => "---|")));
    foreach (var p in r.GetProperty("proxies").EnumerateArray())
    {
        var folds = p.GetProperty("heldOut").EnumerateArray().ToDictionary(d => d.GetProperty("dataset").GetString()!);
        md.AppendLine(
            $"| {p.GetProperty("proxy").GetString()} | {p.GetProperty("label").GetString()} | {p.GetProperty("predictedDatasets").GetInt32()}/{heldOut.Count} | " +
            $"{N(p.GetProperty("meanAbsoluteError"), "F4")} | {P(p.GetProperty("meanRelativeError"))} | {P(p.GetProperty("coverage"))} | " +
            string.Join(" | ", heldOut.Select(h => folds[h].GetProperty("refusal").ValueKind == JsonValueKind.String ? "refused" : N(folds[h].GetProperty("meanAbsoluteError"), "F4"))) + " |");
    }
    md.AppendLine();
    md.AppendLine("Refusals:");
    md.AppendLine();
    foreach (var p in r.GetProperty("proxies").EnumerateArray())
    foreach (var d in p.GetProperty("heldOut").EnumerateArray().Where(d => d.GetProperty("refusal").ValueKind == JsonValueKind.String))
        md.AppendLine(CultureInfo.InvariantCulture, $"- {p.GetProperty("proxy").GetString()}, {d.GetProperty("dataset").GetString()}: {d.GetProperty("refusal").GetString()}");
    md.AppendLine();
    md.AppendLine("The CLI's table:");
    md.AppendLine();
    md.AppendLine("```");
    md.Append(table);
    md.AppendLine("```");

    var name = o.GetValueOrDefault("name", "registry");
    var path = Path.Combine(root, "bench/results", $"transfer-loo-{date:yyyyMMdd-HHmm}-{name}.md");
    File.WriteAllText(path, md.ToString());
    Console.Write(md.ToString());
    Console.WriteLine($"written: {path}");
    return 0;
}

static string N(JsonElement e, string format) => e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString(format, CultureInfo.InvariantCulture) : "–";

static string P(JsonElement e) => e.ValueKind == JsonValueKind.Number ? (e.GetDouble() * 100).ToString("F1", CultureInfo.InvariantCulture) + " %" : "–";

static string Git(string arguments) => Run("git", arguments.Split(' '));

static string Run(string file, string[] arguments)
{
    var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.Environment["NO_COLOR"] = "1";
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}");
    return output.Result;
}
