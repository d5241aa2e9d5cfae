using System.CommandLine;
using System.Text.Json.Nodes;
using PLaw.Cli.Shell;
using PLaw.Laws;
using PLaw.Laws.Optima;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw optimum --fit fit.json</c>: the (layers, dim) maximising a fitted performance law (the JSON <c>plaw fit performance
/// --json</c> writes), globally or under one constraint; best first, ties to fewer layers, then narrower width.
/// </summary>
internal static class OptimumCommand
{
    public static Command Create()
    {
        var fit = new Option<string>("--fit") { Description = "The JSON written by 'plaw fit performance --json'.", Required = true };
        var layersRange = new Option<string>("--layers-range") { Description = "Layers searched, min:max.", DefaultValueFactory = _ => "1:64" };
        var dimRange = new Option<string>("--dim-range") { Description = "Widths searched, min:max.", DefaultValueFactory = _ => "8:1024" };
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
            fit, layersRange, dimRange, heads, layers, budget, tolerance, maxParams, family, quality, top, CommonOptions.Json,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(fit)!;
            var law = ReadLaw(path, result.GetValue(quality));
            var (minLayers, maxLayers) = ParseRange("--layers-range", result.GetValue(layersRange)!);
            var (minDim, maxDim) = ParseRange("--dim-range", result.GetValue(dimRange)!);
            var space = new SearchSpace(minLayers, maxLayers, minDim, maxDim, result.GetValue(heads));
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
            var candidates = OptimumSearch.Rank(law, space, constraint, count);
            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(LawJson.Write(new JsonArray(candidates.Select(c => (JsonNode?)new JsonObject
                {
                    ["layers"] = c.Layers, ["dim"] = c.Dim, ["value"] = LawJson.Number(c.Value),
                }).ToArray())));
            else
            {
                LawViews.WriteOptima(candidates, constraint);
                foreach (var warning in Warnings(candidates[0], space, MeasuredRange(path)))
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

    /// <summary>What a reader should know about the best configuration: on the edge of the searched space (the law may keep
    /// improving beyond it) or outside the measured depths and widths (an extrapolation).</summary>
    internal static IEnumerable<string> Warnings(Candidate best, SearchSpace space, (int MaxLayers, int MaxDim)? measured)
    {
        if (best.Layers == space.MaxLayers || best.Dim == space.MaxDim)
            yield return $"The best configuration ({best.Layers} × {best.Dim}) is on the upper edge of the searched space: the fitted law may keep improving beyond it.";
        if (measured is { } m && (best.Layers > m.MaxLayers || best.Dim > m.MaxDim))
            yield return $"The best configuration ({best.Layers} × {best.Dim}) lies beyond the measured runs (up to {m.MaxLayers} layers, width {m.MaxDim}): an extrapolation.";
    }

    /// <summary>The largest measured depth and width, from the residuals a fit JSON carries (null when absent).</summary>
    private static (int, int)? MeasuredRange(string path)
    {
        if (JsonNode.Parse(File.ReadAllText(path))?["residuals"] is not JsonArray rows || rows.Count == 0) return null;
        return (rows.Max(r => r?["layers"]?.GetValue<int>() ?? 0), rows.Max(r => r?["dim"]?.GetValue<int>() ?? 0));
    }

    internal static (int Min, int Max) ParseRange(string option, string text)
    {
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var min) && int.TryParse(parts[1], out var max) && min >= 1 && max >= min)
            return (min, max);
        throw new ArgumentException($"{option} '{text}': expected min:max with 1 ≤ min ≤ max, e.g. 1:64.");
    }
}
