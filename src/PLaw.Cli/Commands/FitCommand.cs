using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Seeds;
using PLaw.Registry.Runs;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw fit performance --csv runs.csv | --study N</c> (P-Law performance law; with dataset,tokens,apen columns over several
/// datasets, the joint law D_k = c·tokens/ApEn) and <c>plaw fit scaling --csv losses.csv</c> (LSRM loss law; Kaplan and Chinchilla
/// when a tokens column is present). Runs of one configuration with several seeds are fitted as their mean weighted by 1/SE²
/// (<see cref="SeedFit"/>), and the parameters get bootstrap intervals over seeds (<see cref="SeedBootstrap"/>).
/// </summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var command = new Command("fit", "Fit a scaling or performance law to measured runs.");
        command.Subcommands.Add(CreatePerformance());
        command.Subcommands.Add(CreateScaling());
        return command;
    }

    /// <summary>Resamples of the parameter intervals (0: none).</summary>
    private static Option<int> Resamples() => new("--resamples")
    {
        Description = "Bootstrap resamples for the parameters' 95 % intervals (over seeds within configurations when they have several; 0: none).",
        DefaultValueFactory = _ => 200,
    };

    private static Command CreatePerformance()
    {
        var csv = new Option<string?>("--csv")
        {
            Description = "CSV with columns layers,dim,value (one metric, e.g. NDCG@10; optionally seed); add dataset,tokens,apen for the joint law across datasets.",
        };
        var study = new Option<int?>("--study") { Description = "Fit the completed runs of this registry study instead of a CSV (see --metric, --family, --precision)." };
        var metric = new Option<string>("--metric") { Description = "With --study: the final test metric to fit.", DefaultValueFactory = _ => "NDCG@10" };
        var family = new Option<string?>("--family") { Description = "With --study: the model family (default: the one with the most completed runs)." };
        var precision = new Option<string?>("--precision") { Description = "With --study: the precision (default: the one with the most completed runs)." };
        var resamples = Resamples();
        var command = new Command("performance", "Fit the P-Law performance law P(n, d) (or its joint form across datasets).")
        {
            csv, study, metric, family, precision, resamples, CommonOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var count = result.GetValue(resamples);
            if (count < 0) throw new ArgumentException($"--resamples {count}: expected 0 or more.");
            var path = result.GetValue(csv);
            if ((path is null) == (result.GetValue(study) is null)) throw new ArgumentException("give one of --csv FILE or --study N.");
            if (result.GetValue(study) is { } studyId)
            {
                var (points, seeds, source) = await StudyPointsAsync(result.GetValue(CommonOptions.DataDirectory), studyId, result.GetValue(metric)!,
                    result.GetValue(family), result.GetValue(precision), ct);
                WritePerformance(source, points, seeds, count, result.GetValue(CommonOptions.Json));
                return 0;
            }
            var table = LawCsv.Read(path!, ["layers", "dim", "value"], ["tokens", "apen", "seed"], ["dataset"], ["layers", "dim"]);
            var joint = table.Has("dataset") && table.Rows.Select(r => r.Texts["dataset"]).Distinct().Count() > 1;
            if (joint)
            {
                if (!table.Has("tokens") || !table.Has("apen"))
                    throw new ArgumentException($"{path}: runs on several datasets need tokens and apen columns (the joint law uses D = c·tokens/ApEn).");
                var points = table.Rows.Select(r => new DatasetPerformancePoint(r.Texts["dataset"], Quality(path!, r), (int)r["layers"], (int)r["dim"], r["value"])).ToList();
                var fit = Guard(path!, "the joint performance law", () => JointPerformanceFit.Fit(points));
                if (result.GetValue(CommonOptions.Json)) Console.WriteLine(LawJson.Write(JointJson(fit)));
                else LawViews.WriteJoint(fit);
            }
            else
            {
                var points = table.Rows.Select(r => new PerformancePoint((int)r["layers"], (int)r["dim"], r["value"])).ToList();
                var seeds = table.Has("seed") ? table.Rows.Select(r => (int?)r["seed"]).ToList() : null;
                WritePerformance(path!, points, seeds, count, result.GetValue(CommonOptions.Json));
            }
            return 0;
        });
        return command;
    }

    private static void WritePerformance(string source, IReadOnlyList<PerformancePoint> points, IReadOnlyList<int?>? seeds, int resamples, bool json)
    {
        var seeded = Guard(source, "the performance law", () => SeedFit.Performance(points));
        var intervals = resamples > 0 ? SeedBootstrap.Intervals(new SeededFit(seeded.Fit.Result, seeded.Seeds), resamples) : null;
        if (json) Console.WriteLine(LawJson.Write(PerformanceJson(seeded, points, seeds, intervals)));
        else LawViews.WritePerformance(seeded, points, seeds, intervals);
    }

    /// <summary>The completed runs of a study for one family and precision, as points with their seeds, read from the registry.</summary>
    private static async Task<(IReadOnlyList<PerformancePoint> Points, IReadOnlyList<int?> Seeds, string Source)> StudyPointsAsync(string? dataDirectory, int study,
        string metric, string? family, string? precision, CancellationToken ct)
    {
        if (PerformanceMetrics.Problem(metric) is { } problem) throw new ArgumentException($"--metric {problem}");
        await using var services = await CliRegistry.OpenAsync(dataDirectory, ct);
        var catalog = services.GetRequiredService<RunCatalog>();
        if (await catalog.FindStudyAsync(study, ct) is null) throw new ArgumentException($"--study {study}: no such study in the registry.");
        var completed = (await catalog.ListAsync(study, ct)).Where(r => r.Status == RunStatus.Completed).ToList();
        if (completed.Count == 0) throw new ArgumentException($"--study {study}: the study has no completed runs yet, so there is nothing to fit.");
        var families = completed.GroupBy(r => r.Model, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var chosenFamily = family ?? families[0];
        if (!families.Contains(chosenFamily, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"--family {family}: study {study} has no completed {family} runs (it has {string.Join(", ", families)}).");
        var ofFamily = completed.Where(r => string.Equals(r.Model, chosenFamily, StringComparison.OrdinalIgnoreCase)).ToList();
        var precisions = ofFamily.GroupBy(r => r.Precision, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var chosenPrecision = precision ?? precisions[0];
        if (!precisions.Contains(chosenPrecision, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"--precision {precision}: study {study} has no completed {chosenFamily} runs in {precision} (it has {string.Join(", ", precisions)}).");
        var runs = ofFamily.Where(r => string.Equals(r.Precision, chosenPrecision, StringComparison.OrdinalIgnoreCase)).OrderBy(r => r.Id).ToList();
        var finals = await catalog.FinalMetricsAsync(runs.Select(r => r.Id).ToList(), ct);
        var reporting = runs.Where(r => finals.TryGetValue(r.Id, out var m) && m.ContainsKey(metric)).ToList();
        if (reporting.Count == 0)
            throw new ArgumentException($"--metric {metric}: none of the {runs.Count} completed {chosenFamily} ({chosenPrecision}) runs of study {study} reports it.");
        return (reporting.Select(r => new PerformancePoint(r.Layers, r.Dim, finals[r.Id][metric])).ToList(), reporting.Select(r => (int?)r.Seed).ToList(),
            $"study {study} ({chosenFamily}, {chosenPrecision}, {metric})");
    }

    private static Command CreateScaling()
    {
        var csv = new Option<string>("--csv") { Description = "CSV with columns params,loss (non-embedding parameters); add tokens for the data laws.", Required = true };
        var predict = new Option<string?>("--predict") { Description = "Comma-separated parameter counts to predict the loss at, e.g. 75497472,829440000." };
        var resamples = Resamples();
        var command = new Command("scaling", "Fit the LSRM loss law L(N) = E + (N0/N)^alpha (and Kaplan, Chinchilla L(N, D) with tokens).") { csv, predict, resamples, CommonOptions.Json };
        command.SetAction(result =>
        {
            var path = result.GetValue(csv)!;
            var sizes = ParseSizes(result.GetValue(predict));
            var count = result.GetValue(resamples);
            if (count < 0) throw new ArgumentException($"--resamples {count}: expected 0 or more.");
            var table = LawCsv.Read(path, ["params", "loss"], ["tokens", "seed"], [], []);
            var points = table.Rows.Select(r => new ScalingPoint(r["params"], r["loss"], r.Numbers.TryGetValue("tokens", out var t) ? t : null)).ToList();
            var seeded = Guard(path, "the LSRM loss law", () => SeedFit.Lsrm(points));
            var fit = seeded.Fit;
            var lsrm = new LsrmParameters(fit.Values[0], fit.Values[1], fit.Values[2]);
            var predictions = sizes.Select(n => (Params: n, Loss: lsrm.Loss(n))).ToList();
            var json = LawJson.Fit("lsrm", fit);
            AddSeeds(json, seeded.Seeds, count > 0 ? SeedBootstrap.Intervals(seeded, count) : null, ["params"]);
            json["predictions"] = new JsonArray(predictions.Select(p => (JsonNode?)new JsonObject { ["params"] = p.Params, ["loss"] = LawJson.Number(p.Loss) }).ToArray());
            if (table.Has("tokens"))
            {
                json["kaplan"] = DataLaw("kaplan", () => ScalingFit.Kaplan(points).Fit);
                json["chinchilla"] = DataLaw("chinchilla", () => ScalingFit.Chinchilla(points).Fit);
            }
            if (result.GetValue(CommonOptions.Json)) Console.WriteLine(LawJson.Write(json));
            else LawViews.WriteScaling(fit, predictions, json, seeded.Seeds);
            return 0;
        });
        return command;
    }

    /// <summary>A data law's fit, or {"error": reason} — the LSRM fit stays useful when a data law cannot be fitted.</summary>
    private static JsonObject DataLaw(string law, Func<LawFit> fit)
    {
        try { return LawJson.Fit(law, fit()); }
        catch (LawFitException e) { return new JsonObject { ["law"] = law, ["error"] = e.Message }; }
    }

    internal static JsonObject PerformanceJson(SeededPerformanceFit seeded, IReadOnlyList<PerformancePoint> points, IReadOnlyList<int?>? seeds, SeedIntervals? intervals)
    {
        var fit = seeded.Fit;
        var json = LawJson.Fit("performance", fit.Result);
        AddSeeds(json, seeded.Seeds, intervals, ["layers", "dim"]);
        json["residuals"] = new JsonArray(points.Select((p, i) =>
        {
            var fitted = fit.Predict(p.Layers, p.Dim);
            var row = new JsonObject { ["layers"] = p.Layers, ["dim"] = p.Dim };
            if (seeds?[i] is { } seed) row["seed"] = seed;
            row["value"] = p.Value;
            row["fitted"] = LawJson.Number(fitted);
            row["residual"] = LawJson.Number(p.Value - fitted);
            return (JsonNode?)row;
        }).ToArray());
        return json;
    }

    /// <summary>weighted, seedNote, pooledSeedSd, configurations (inputs, n, mean, sd, se) and intervals (name → low, high) of a seed-aware fit.</summary>
    internal static void AddSeeds(JsonObject json, SeedData seeds, SeedIntervals? intervals, IReadOnlyList<string> inputs)
    {
        json["weighted"] = seeds.Weighted;
        json["seedNote"] = seeds.Note;
        json["pooledSeedSd"] = LawJson.Number(seeds.PooledSd);
        json["configurations"] = new JsonArray(seeds.Configurations.Select(c =>
        {
            var row = new JsonObject();
            for (var j = 0; j < inputs.Count; j++) row[inputs[j]] = inputs[j] is "layers" or "dim" ? JsonValue.Create((int)c.Input[j]) : LawJson.Number(c.Input[j]);
            row["n"] = c.N;
            row["mean"] = LawJson.Number(c.Mean);
            row["sd"] = LawJson.Number(c.Sd);
            row["se"] = LawJson.Number(c.StandardError);
            return (JsonNode?)row;
        }).ToArray());
        if (intervals is null) return;
        var byName = new JsonObject();
        foreach (var p in intervals.Parameters)
            byName[p.Name] = p.Identifiable ? new JsonObject { ["low"] = LawJson.Number(p.Low), ["high"] = LawJson.Number(p.High) } : null;
        json["intervals"] = byName;
        json["intervalLevel"] = intervals.Level;
        json["intervalResamples"] = intervals.Resamples;
        json["intervalsOverSeeds"] = intervals.OverSeeds;
    }

    private static JsonObject JointJson(JointPerformanceFit fit)
    {
        var json = LawJson.Fit("joint", fit.Result);
        json["datasets"] = new JsonArray(fit.Datasets.Select(d => (JsonNode?)new JsonObject
        {
            ["dataset"] = d.Dataset, ["quality"] = d.Quality, ["points"] = d.Points, ["fittedD"] = LawJson.Number(d.FittedD),
            ["jointD"] = LawJson.Number(d.JointD), ["fittedDIdentifiable"] = d.FittedDIdentifiable,
        }).ToArray());
        json["dVersusQuality"] = new JsonObject
        {
            ["intercept"] = LawJson.Number(fit.DVersusQuality.Intercept), ["slope"] = LawJson.Number(fit.DVersusQuality.Slope),
            ["r2"] = LawJson.Number(fit.DVersusQuality.R2),
        };
        return json;
    }

    private static double Quality(string path, LawCsv.Row row)
    {
        if (!row.Numbers.TryGetValue("tokens", out var tokens) || !row.Numbers.TryGetValue("apen", out var apen) || tokens <= 0 || apen <= 0)
            throw new ArgumentException($"{path}:{row.Line}: expected positive tokens and apen for the joint law.");
        return DataSize.TokensPerApen(tokens, apen);
    }

    /// <summary>Runs a fit; a refused fit becomes one line naming the file.</summary>
    private static T Guard<T>(string path, string what, Func<T> fit)
    {
        try { return fit(); }
        catch (LawFitException e) { throw new ArgumentException($"{path}: cannot fit {what}: {e.Message}"); }
    }

    internal static double[] ParseSizes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && double.IsFinite(n)
                ? n : throw new ArgumentException($"--predict '{text}': expected positive parameter counts separated by commas, found '{s}'.")).ToArray();
    }
}
