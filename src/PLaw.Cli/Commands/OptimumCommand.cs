using System.CommandLine;
using System.Text.Json.Nodes;
using PLaw.Cli.Shell;
using PLaw.Laws;
using PLaw.Laws.Optima;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw optimum --fit fit.json</c>: the (layers, dim) maximising a fitted performance law (the JSON <c>plaw fit performance
/// --json</c> writes, seed-aware: fitted to configuration means weighted by 1/SE² when runs have several seeds), globally or under
/// one constraint; best first, ties to fewer layers, then narrower width.
/// </summary>
internal static class OptimumCommand
{
    public static Command Create()
    {
        var fit = new Option<string>("--fit") { Description = "The JSON written by 'plaw fit performance --json'.", Required = true };
        var layersRange = new Option<string?>("--layers-range")
        {
            Description = "Layers searched, min:max, as given. Default: the measured depths widened by --extrapolation (1:64 when the fit names no runs).",
        };
        var dimRange = new Option<string?>("--dim-range")
        {
            Description = "Widths searched, min:max, as given. Default: the measured widths widened by --extrapolation (8:1024 when the fit names no runs).",
        };
        var extrapolation = new Option<double>("--extrapolation")
        {
            Description = "How far beyond the measured range the default ranges reach, as a factor (1 = the measured range only).",
            DefaultValueFactory = _ => MeasuredBox.DefaultFactor,
        };
        var dimStep = new Option<int>("--dim-step") { Description = "Widths searched are multiples of this step.", DefaultValueFactory = _ => 8 };
        var heads = new Option<int?>("--heads") { Description = "Only widths divisible by this head count." };
        var layers = new Option<int?>("--layers") { Description = "Constraint: depth fixed at N layers." };
        var budget = new Option<long?>("--budget-layers-times-dim") { Description = "Constraint: layers × dim ≈ B (within --tolerance)." };
        var tolerance = new Option<double>("--tolerance") { Description = "Relative tolerance of --budget-layers-times-dim.", DefaultValueFactory = _ => 0.1 };
        var maxParams = new Option<long?>("--max-params") { Description = "Constraint: non-embedding parameters ≤ P (formula of --family)." };
        var family = new Option<string>("--family") { Description = "Parameter-count formula for --max-params: pm-sasrec | pl-hstu | llama.", DefaultValueFactory = _ => "pm-sasrec" };
        var quality = new Option<double?>("--quality") { Description = "For a joint fit: the dataset's tokens/ApEn (D = c·quality)." };
        var top = new Option<int>("--top") { Description = "How many configurations to list.", DefaultValueFactory = _ => 10 };
        var command = new Command("optimum", "Find the best (layers, dim) under a fitted performance law, globally or under a budget.")
        {
            fit, layersRange, dimRange, extrapolation, dimStep, heads, layers, budget, tolerance, maxParams, family, quality, top, CommonOptions.Json,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(fit)!;
            var law = ReadLaw(path, result.GetValue(quality));
            var step = result.GetValue(dimStep);
            if (step < 1) throw new ArgumentException($"--dim-step {step}: expected a positive step.");
            var factor = result.GetValue(extrapolation);
            if (!double.IsFinite(factor) || factor < 1) throw new ArgumentException($"--extrapolation {factor}: expected a factor of at least 1.");
            var saved = JsonNode.Parse(File.ReadAllText(path));   // ReadLaw has checked it is a fit JSON
            var box = MeasuredRange(saved);
            var widened = box?.Widened(factor, result.GetValue(heads), step) ?? new SearchSpace(1, 64, 8, 1024);
            var (minLayers, maxLayers) = result.GetValue(layersRange) is { } lr ? ParseRange("--layers-range", lr) : (widened.MinLayers, widened.MaxLayers);
            var (minDim, maxDim) = result.GetValue(dimRange) is { } dr ? ParseRange("--dim-range", dr) : (widened.MinDim, widened.MaxDim);
            var space = new SearchSpace(minLayers, maxLayers, minDim, maxDim, result.GetValue(heads), step);
            var chosen = new OptimumConstraint?[]
            {
                result.GetValue(layers) is { } n ? new FixedLayers(n) : null,
                result.GetValue(budget) is { } b ? new LayersTimesDim(b, result.GetValue(tolerance)) : null,
                result.GetValue(maxParams) is { } p ? new MaxParameters(p, ParameterCounts.ForFamily(result.GetValue(family)!)) : null,
            }.OfType<OptimumConstraint>().ToList();
            if (chosen.Count > 1) throw new ArgumentException("choose at most one of --layers, --budget-layers-times-dim, --max-params.");
            var constraint = chosen.SingleOrDefault() ?? new Unconstrained();
            var count = result.GetValue(top);
            if (count < 1) throw new ArgumentException($"--top {count}: expected at least 1.");
            var candidates = CandidateTable.Order(OptimumSearch.Rank(law, space, constraint), box).Take(count).ToList();
            var warnings = FitWarnings(saved).Concat(Warnings(candidates, space, box)).ToList();
            if (result.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(LawJson.Write(new JsonArray(candidates.Select(c => (JsonNode?)new JsonObject
                {
                    ["layers"] = c.Layers, ["dim"] = c.Dim, ["value"] = LawJson.Number(c.Value),
                    ["extrapolated"] = box is not null && !box.Contains(c.Layers, c.Dim),
                }).ToArray())));
                foreach (var warning in warnings) Console.Error.WriteLine(warning);
            }
            else
            {
                LawViews.WriteOptima(candidates, constraint, box);
                if (saved?["seedNote"]?.GetValue<string>() is { } seedNote)
                    CliProgress.Out.MarkupLine($"{(saved["weighted"]?.GetValue<bool>() == true ? "Law weighted by seed noise" : "Law unweighted")}: {Markup.Escape(seedNote)}");
                foreach (var warning in warnings)
                    CliProgress.Out.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The law in a fit JSON: w1…w5, D, b (single dataset) or w1…w5, c, b with --quality (joint).</summary>
    internal static PerformanceLawParameters ReadLaw(string path, double? quality)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (System.Text.Json.JsonException e) { throw new ArgumentException($"{path}: not JSON ({e.Message}); expected what 'plaw fit performance --json' writes."); }
        if (root is not JsonObject json) throw new ArgumentException($"{path}: expected a JSON object as 'plaw fit performance --json' writes.");
        double Get(string name)
        {
            try
            {
                return json[name]?.GetValue<double>() ?? throw new ArgumentException($"{path}: expected a number '{name}' (the JSON 'plaw fit performance --json' writes).");
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new ArgumentException($"{path}: '{name}' is not a number.");
            }
        }
        if (json["law"]?.ToString() == "joint")
        {
            if (quality is not { } q || q <= 0) throw new ArgumentException($"{path} is a joint fit across datasets: pass --quality (the dataset's tokens/ApEn).");
            return new JointPerformanceLawParameters(Get("w1"), Get("w2"), Get("w3"), Get("w4"), Get("w5"), Get("c"), Get("b")).ForDataset(q);
        }
        return new PerformanceLawParameters(Get("w1"), Get("w2"), Get("w3"), Get("w4"), Get("w5"), Get("D"), Get("b"));
    }

    /// <summary>What a reader should know about the ranking: on the edge of the searched space (the law may keep improving beyond
    /// it), outside the measured depths and widths (an extrapolation), or better predicted beyond them than within.</summary>
    internal static IEnumerable<string> Warnings(IReadOnlyList<Candidate> ranked, SearchSpace space, MeasuredBox? box)
    {
        var best = ranked[0];
        if (box is null)
            yield return "The fit JSON names no measured runs (no residuals), so extrapolation cannot be judged: ranges default to 1:64 × 8:1024.";
        if (best.Layers == space.MaxLayers || best.Dim == space.MaxDim)
            yield return $"The best configuration ({best.Layers} × {best.Dim}) is on the upper edge of the searched space: the fitted law may keep improving beyond it.";
        if (box is not null && !box.Contains(best.Layers, best.Dim))
            yield return $"The best configuration ({best.Layers} × {best.Dim}) lies beyond the measured runs ({box.Describe()}): an extrapolation.";
        else if (box is not null && ranked.FirstOrDefault(c => !box.Contains(c.Layers, c.Dim) && c.Value > best.Value) is { } beyond)
            yield return $"Beyond the measured runs ({box.Describe()}) the law predicts {beyond.Value:G4} at {beyond.Layers} × {beyond.Dim} (marked extrapolated): untested; train it before relying on it.";
    }

    /// <summary>The measured depths and widths, from the residuals a fit JSON carries (null when absent).</summary>
    private static MeasuredBox? MeasuredRange(JsonNode? fit)
    {
        if (fit?["residuals"] is not JsonArray rows || rows.Count == 0) return null;
        return MeasuredBox.Of(rows.Select(r => (r?["layers"]?.GetValue<int>() ?? 0, r?["dim"]?.GetValue<int>() ?? 0)));
    }

    /// <summary>The degenerate-fit sentences a fit JSON carries: its predictions are never shown without them.</summary>
    private static IEnumerable<string> FitWarnings(JsonNode? fit) =>
        fit?["warnings"] is JsonArray warnings
            ? warnings.Select(w => w?["text"]?.GetValue<string>()).OfType<string>().Select(t => $"The fit is degenerate: {t}")
            : [];

    internal static (int Min, int Max) ParseRange(string option, string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var min) && int.TryParse(parts[1], out var max) && min >= 1 && max >= min)
            return (min, max);
        throw new ArgumentException($"{option} '{text}': expected min:max with 1 ≤ min ≤ max, e.g. 1:64.");
    }
}
