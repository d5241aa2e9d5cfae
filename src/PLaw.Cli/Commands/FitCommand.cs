using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PLaw.Cli.Shell;
using PLaw.Laws;
using PLaw.Laws.Fitting;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw fit performance --csv runs.csv</c> (P-Law performance law; with dataset,tokens,apen columns over several datasets,
/// the joint law D_k = c·tokens/ApEn) and <c>plaw fit scaling --csv losses.csv</c> (LSRM loss law; Kaplan and Chinchilla when
/// a tokens column is present).
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

    private static Command CreatePerformance()
    {
        var csv = new Option<string>("--csv")
        {
            Description = "CSV with columns layers,dim,value (one metric, e.g. NDCG@10); add dataset,tokens,apen for the joint law across datasets.",
            Required = true,
        };
        var command = new Command("performance", "Fit the P-Law performance law P(n, d) (or its joint form across datasets).") { csv, CommonOptions.Json };
        command.SetAction(result =>
        {
            var path = result.GetValue(csv)!;
            var table = LawCsv.Read(path, ["layers", "dim", "value"], ["tokens", "apen"], ["dataset"], ["layers", "dim"]);
            var joint = table.Has("dataset") && table.Rows.Select(r => r.Texts["dataset"]).Distinct().Count() > 1;
            if (joint)
            {
                if (!table.Has("tokens") || !table.Has("apen"))
                    throw new ArgumentException($"{path}: runs on several datasets need tokens and apen columns (the joint law uses D = c·tokens/ApEn).");
                var points = table.Rows.Select(r => new DatasetPerformancePoint(r.Texts["dataset"], Quality(path, r), (int)r["layers"], (int)r["dim"], r["value"])).ToList();
                var fit = Guard(path, "the joint performance law", () => JointPerformanceFit.Fit(points));
                if (result.GetValue(CommonOptions.Json)) Console.WriteLine(LawJson.Write(JointJson(fit)));
                else LawViews.WriteJoint(fit);
            }
            else
            {
                var points = table.Rows.Select(r => new PerformancePoint((int)r["layers"], (int)r["dim"], r["value"])).ToList();
                var fit = Guard(path, "the performance law", () => PerformanceFit.Fit(points));
                if (result.GetValue(CommonOptions.Json)) Console.WriteLine(LawJson.Write(PerformanceJson(fit, points)));
                else LawViews.WritePerformance(fit, points);
            }
            return 0;
        });
        return command;
    }

    private static Command CreateScaling()
    {
        var csv = new Option<string>("--csv") { Description = "CSV with columns params,loss (non-embedding parameters); add tokens for the data laws.", Required = true };
        var predict = new Option<string?>("--predict") { Description = "Comma-separated parameter counts to predict the loss at, e.g. 75497472,829440000." };
        var command = new Command("scaling", "Fit the LSRM loss law L(N) = E + (N0/N)^alpha (and Kaplan, Chinchilla L(N, D) with tokens).") { csv, predict, CommonOptions.Json };
        command.SetAction(result =>
        {
            var path = result.GetValue(csv)!;
            var sizes = ParseSizes(result.GetValue(predict));
            var table = LawCsv.Read(path, ["params", "loss"], ["tokens"], [], []);
            var points = table.Rows.Select(r => new ScalingPoint(r["params"], r["loss"], r.Numbers.TryGetValue("tokens", out var t) ? t : null)).ToList();
            var (lsrm, fit) = Guard(path, "the LSRM loss law", () => ScalingFit.Lsrm(points));
            var predictions = sizes.Select(n => (Params: n, Loss: lsrm.Loss(n))).ToList();
            var json = LawJson.Fit("lsrm", fit);
            json["predictions"] = new JsonArray(predictions.Select(p => (JsonNode?)new JsonObject { ["params"] = p.Params, ["loss"] = LawJson.Number(p.Loss) }).ToArray());
            if (table.Has("tokens"))
            {
                json["kaplan"] = DataLaw("kaplan", () => ScalingFit.Kaplan(points).Fit);
                json["chinchilla"] = DataLaw("chinchilla", () => ScalingFit.Chinchilla(points).Fit);
            }
            if (result.GetValue(CommonOptions.Json)) Console.WriteLine(LawJson.Write(json));
            else LawViews.WriteScaling(fit, predictions, json);
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

    internal static JsonObject PerformanceJson(PerformanceFit fit, IReadOnlyList<PerformancePoint> points)
    {
        var json = LawJson.Fit("performance", fit.Result);
        json["residuals"] = new JsonArray(points.Select((p, i) => (JsonNode?)new JsonObject
        {
            ["layers"] = p.Layers, ["dim"] = p.Dim, ["value"] = p.Value,
            ["fitted"] = LawJson.Number(fit.Result.Fitted[i]), ["residual"] = LawJson.Number(fit.Result.Residuals[i]),
        }).ToArray());
        return json;
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
