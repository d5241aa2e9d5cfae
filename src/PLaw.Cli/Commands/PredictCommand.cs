using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Entropy;
using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;
using PLaw.Laws.Transfer;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw predict --dataset &lt;id|name&gt;</c>: a dataset's performance surface predicted from its entropy table alone, with the
/// joint law D_k = c·q_k fitted on the other datasets' completed runs (<see cref="TransferPredictor"/>); with runs of its own,
/// predicted against measured. <c>plaw predict --leave-one-out</c>: each dataset held out in turn, per quality proxy
/// (<see cref="LeaveOneOut"/>).
/// </summary>
internal static class PredictCommand
{
    /// <summary>ApEn m and r of the entropy rows used (P-Law's settings, what import and the dataset page measure by default).</summary>
    private const int ApenM = 2, ApenR = 0;

    public static Command Create()
    {
        var dataset = new Option<string?>("--dataset") { Description = "The dataset to predict, by id or name (not with --leave-one-out)." };
        var metric = new Option<string>("--metric") { Description = "Final test metric the law describes.", DefaultValueFactory = _ => "NDCG@10" };
        var model = new Option<string>("--model") { Description = "Model family whose runs are fitted: sasrec | hstu | llama.", DefaultValueFactory = _ => "sasrec" };
        var proxy = new Option<string>("--proxy")
        {
            Description = "Quality q = tokens / entropy: apen (mean ApEn, P-Law's D′) | chunked (corpus-level chunked real entropy) | conditional (H(next | current)).",
            DefaultValueFactory = _ => QualityProxy.Apen.Key(),
        };
        var layersRange = new Option<string?>("--layers-range") { Description = "Layers of the surface and the optimum, min:max. Default: the fitted runs' depths widened 2×." };
        var dimRange = new Option<string?>("--dim-range") { Description = "Widths of the surface and the optimum, min:max (multiples of 8). Default: the fitted runs' widths widened 2×." };
        var maxLen = new Option<int?>("--max-len") { Description = "Max length L of the surface. Default: the dataset's runs' L, else the fitted runs' usual L." };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap refits of the joint law for the 90 % interval (0: none).", DefaultValueFactory = _ => 100 };
        var measure = new Option<bool>("--measure-entropy") { Description = "Measure missing entropy rows (at the max lengths needed) and store them in the registry first." };
        var leaveOneOut = new Option<bool>("--leave-one-out") { Description = "Hold out each dataset with runs in turn and report each quality proxy's prediction error." };
        var command = new Command("predict", "Predict a dataset's performance surface from its entropy table, with c fitted on the other datasets' runs.")
        {
            dataset, metric, model, proxy, layersRange, dimRange, maxLen, resamples, measure, leaveOneOut, CommonOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var loo = result.GetValue(leaveOneOut);
            var reference = result.GetValue(dataset);
            if (loo == reference is not null)
                throw new ArgumentException(loo ? "--leave-one-out holds out every dataset in turn: give no --dataset."
                    : "Give --dataset <id|name> to predict, or --leave-one-out to compare the quality proxies.");
            var chosenProxy = QualityProxies.Parse(result.GetValue(proxy)!);
            var count = result.GetValue(resamples);
            if (count < 0) throw new ArgumentException($"--resamples {count}: expected 0 or more.");
            if (result.GetValue(maxLen) is < 1) throw new ArgumentException($"--max-len {result.GetValue(maxLen)}: expected a positive length.");
            var family = result.GetValue(model)!.Trim().ToLowerInvariant();
            var metricName = result.GetValue(metric)!.Trim();
            if (PerformanceMetrics.Problem(metricName) is { } problem) throw new ArgumentException($"--metric {problem}");
            var json = result.GetValue(CommonOptions.Json);

            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var target = reference is null ? null : await DatasetReference.ResolveAsync(services, reference, ct);
            var registry = await LoadAsync(services, family, metricName, ct);
            if (result.GetValue(measure))
                registry = await MeasureMissingAsync(services, registry, target?.Id, result.GetValue(maxLen), family, metricName, ct);
            var datasets = registry.Select(r => r.Dataset).ToList();
            var rerun = reference is null ? "plaw predict --leave-one-out --measure-entropy" : $"plaw predict --dataset {reference} --measure-entropy";
            try
            {
                if (loo) return LeaveOneOutReport(datasets, metricName, family, count, json);
                return Predict(datasets.Single(d => d.Name == target!.Name), datasets, chosenProxy, metricName, family, result.GetValue(maxLen),
                    new TransferOptions(Resamples: count), result.GetValue(layersRange), result.GetValue(dimRange), json);
            }
            catch (TransferException e) when (e.Reason == TransferFailure.MissingEntropy)
            {
                throw new InvalidOperationException($"{e.Message} Run '{rerun}' (or open the dataset's page in the dashboard at L = {e.MaxLength}).");
            }
            catch (TransferException e) when (e.Reason == TransferFailure.TooFewDatasets)
            {
                throw new InvalidOperationException($"{e.Message} (Completed {family} runs reporting {metricName}; 'plaw study' trains a grid.)");
            }
        });
        return command;
    }

    private sealed record Loaded(int Id, TransferDataset Dataset);

    /// <summary>Every dataset with its cached entropy rows (ApEn m = 2, r = 0) and its completed runs of one family reporting the metric.</summary>
    private static async Task<List<Loaded>> LoadAsync(IServiceProvider services, string family, string metric, CancellationToken ct)
    {
        var catalog = services.GetRequiredService<RunCatalog>();
        var entropy = services.GetRequiredService<EntropyReports>();
        var runs = (await catalog.ListAsync(ct: ct))
            .Where(r => r.Status == RunStatus.Completed && string.Equals(r.Model, family, StringComparison.OrdinalIgnoreCase)).ToList();
        var finals = await catalog.FinalMetricsAsync(runs.Select(r => r.Id).ToList(), ct);
        var loaded = new List<Loaded>();
        foreach (var d in await services.GetRequiredService<DatasetCatalog>().ListAsync(ct))
        {
            var rows = (await entropy.GetCachedAsync(d.Id, ApenM, ApenR, ct)).Select(e => e.Row).ToList();
            var measured = runs.Where(r => r.DatasetId == d.Id && finals.TryGetValue(r.Id, out var m) && Value(m, metric) is { } v && double.IsFinite(v))
                .Select(r => new TransferRun(r.Layers, r.Dim, r.MaxLength, Value(finals[r.Id], metric)!.Value, r.Id)).ToList();
            loaded.Add(new Loaded(d.Id, new TransferDataset(d.Name, rows, measured)));
        }
        return loaded;
    }

    private static double? Value(IReadOnlyDictionary<string, double> metrics, string name) =>
        metrics.FirstOrDefault(m => string.Equals(m.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } hit ? hit.Value : null;

    /// <summary>Measures (and stores) the entropy rows a prediction needs and the registry lacks: each dataset with runs at its runs' L, the target at its L.</summary>
    private static async Task<List<Loaded>> MeasureMissingAsync(IServiceProvider services, List<Loaded> registry, int? targetId, int? maxLength,
        string family, string metric, CancellationToken ct)
    {
        var reports = services.GetRequiredService<EntropyReports>();
        var usual = registry.Where(l => l.Id != targetId).SelectMany(l => l.Dataset.Runs).GroupBy(r => r.MaxLength)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => (int?)g.Key).FirstOrDefault();
        foreach (var l in registry)
        {
            var needed = l.Dataset.Runs.Select(r => r.MaxLength).ToHashSet();
            if (l.Id == targetId && (maxLength ?? l.Dataset.UsualMaxLength ?? usual) is { } length) needed.Add(length);
            var missing = needed.Where(n => l.Dataset.EntropyAt(n) is null).Order().ToList();
            if (missing.Count == 0) continue;
            await CliProgress.RunAsync($"measuring entropy of {Markup.Escape(l.Dataset.Name)} at L = {string.Join(", ", missing)}", progress =>
                reports.GetOrComputeAsync(l.Id, new EntropyTableOptions(missing, ApenM, ApenR), progress, ct));
        }
        return await LoadAsync(services, family, metric, ct);
    }

    private static int Predict(TransferDataset target, IReadOnlyList<TransferDataset> datasets, QualityProxy proxy, string metric, string family,
        int? maxLength, TransferOptions options, string? layersRange, string? dimRange, bool json)
    {
        var prediction = options.Resamples > 0
            ? CliProgress.RunAsync($"fitting the joint law and {options.Resamples} bootstrap refits",
                _ => Task.FromResult(TransferPredictor.Predict(target, datasets, proxy, maxLength, options))).GetAwaiter().GetResult()
            : TransferPredictor.Predict(target, datasets, proxy, maxLength, options);
        var fitted = datasets.Where(d => d.Name != target.Name).SelectMany(d => d.Runs).Select(r => (r.Layers, r.Dim));
        var widened = MeasuredBox.Of(fitted).Widened(MeasuredBox.DefaultFactor, dimStep: 8);
        var (minLayers, maxLayers) = layersRange is { } lr ? OptimumCommand.ParseRange("--layers-range", lr) : (widened.MinLayers, widened.MaxLayers);
        var (minDim, maxDim) = dimRange is { } dr ? OptimumCommand.ParseRange("--dim-range", dr) : (widened.MinDim, widened.MaxDim);
        var space = new SearchSpace(minLayers, maxLayers, minDim, maxDim, DimStep: 8);
        space.Validate();
        var layers = SurfaceGrid.Layers(space, 5);
        var dims = SurfaceGrid.Dims(space, 5);
        var surface = prediction.Surface(layers, dims);
        var optimum = prediction.Optimum(space);
        var measured = prediction.Compare(target.Runs);
        var heldOut = new HeldOutError(target.Name, target.Runs.Count, measured, null);
        if (json)
        {
            Console.WriteLine(LawJson.Write(new JsonObject
            {
                ["dataset"] = target.Name, ["metric"] = metric, ["model"] = family, ["proxy"] = proxy.Key(), ["proxyLabel"] = proxy.Label(),
                ["maxLength"] = prediction.MaxLength, ["quality"] = prediction.Quality, ["c"] = LawJson.Number(prediction.C),
                ["level"] = prediction.Level, ["resamples"] = prediction.Replicates.Count, ["failedResamples"] = prediction.FailedResamples,
                ["runs"] = prediction.Runs,
                ["sources"] = new JsonArray(prediction.Sources.Select(s => (JsonNode?)new JsonObject
                    { ["dataset"] = s.Dataset, ["runs"] = s.Runs, ["maxLength"] = s.MaxLength, ["quality"] = s.Quality }).ToArray()),
                ["law"] = LawJson.Fit("joint", prediction.Fit),
                ["space"] = new JsonObject { ["minLayers"] = space.MinLayers, ["maxLayers"] = space.MaxLayers, ["minDim"] = space.MinDim, ["maxDim"] = space.MaxDim },
                ["surface"] = new JsonArray(surface.Select(p => (JsonNode?)Point(p)).ToArray()),
                ["optimum"] = Point(optimum),
                ["measured"] = new JsonArray(measured.Select(m => (JsonNode?)new JsonObject
                {
                    ["runId"] = m.Run.RunId, ["layers"] = m.Run.Layers, ["dim"] = m.Run.Dim, ["measured"] = m.Run.Value,
                    ["predicted"] = LawJson.Number(m.Predicted), ["low"] = LawJson.Number(m.Low), ["high"] = LawJson.Number(m.High),
                    ["error"] = LawJson.Number(m.Error), ["covered"] = m.Covered,
                }).ToArray()),
                ["measuredSummary"] = measured.Count == 0 ? null : new JsonObject
                {
                    ["runs"] = measured.Count, ["meanAbsoluteError"] = LawJson.Number(heldOut.MeanAbsoluteError),
                    ["meanRelativeError"] = LawJson.Number(heldOut.MeanRelativeError), ["coverage"] = LawJson.Number(heldOut.Coverage),
                },
                ["warnings"] = new JsonArray(prediction.Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()),
            }));
            return 0;
        }

        var o = CliProgress.Out;
        o.MarkupLineInterpolated($"Predicted {metric} of {family} on [bold]{target.Name}[/] at L = {prediction.MaxLength}, from its entropy table: q = {proxy.Label()} = {F(prediction.Quality, "G4")}");
        o.WriteLine($"Joint law fitted on {prediction.Sources.Select(s => s.Dataset).Distinct().Count()} other datasets, {prediction.Runs} runs: " +
                                 $"{string.Join(", ", prediction.Sources.Select(s => $"{s.Dataset} ({s.Runs} runs, L = {s.MaxLength}, q = {F(s.Quality, "G4")})"))}");
        o.WriteLine($"c = {F(prediction.C, "G4")} (D = c·q = {F(prediction.Law.D, "G4")}); R² {F(prediction.Fit.R2, "F3")} on the fitted runs; " +
                                 $"{prediction.Level:P0} interval from {prediction.Replicates.Count} bootstrap refits over datasets and runs");
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"predicted {metric} [{F(prediction.Level * 100, "0")} % interval]"));
        table.AddColumn("layers \\ width");
        foreach (var d in dims) table.AddColumn(new TableColumn(d.ToString(CultureInfo.InvariantCulture)).RightAligned());
        foreach (var n in layers)
            table.AddRow([n.ToString(CultureInfo.InvariantCulture), .. dims.Select(d => Markup.Escape(Cell(surface.Single(p => p.Layers == n && p.Dim == d))))]);
        o.Write(table);
        o.WriteLine($"Predicted optimum in {space.MinLayers}:{space.MaxLayers} layers × width {space.MinDim}:{space.MaxDim}: " +
                                 $"{optimum.Layers} × {optimum.Dim}, {Cell(optimum)}");
        if (measured.Count > 0)
        {
            var runs = new Table().Border(TableBorder.Rounded).Title($"predicted against measured ({measured.Count} runs of {Markup.Escape(target.Name)})");
            foreach (var header in new[] { "run", "layers", "width", "measured", "predicted", "interval", "error" }) runs.AddColumn(header);
            foreach (var m in measured)
                runs.AddRow(m.Run.RunId?.ToString(CultureInfo.InvariantCulture) ?? "", m.Run.Layers.ToString(CultureInfo.InvariantCulture),
                    m.Run.Dim.ToString(CultureInfo.InvariantCulture), F(m.Run.Value, "F4"), F(m.Predicted, "F4"),
                    $"{F(m.Low, "F4")}–{F(m.High, "F4")}{(m.Covered ? "" : " ✗")}", F(m.Error, "+0.0000;-0.0000"));
            o.Write(runs);
            o.WriteLine($"mean |error| {F(heldOut.MeanAbsoluteError, "F4")}, mean relative error {F(heldOut.MeanRelativeError, "P1")}" +
                                     (double.IsFinite(heldOut.Coverage) ? $", {heldOut.Coverage:P0} of runs inside the interval" : ""));
        }
        else if (target.Runs.Count > 0)
            o.MarkupLineInterpolated($"[grey]{target.Name}'s runs use another max length than L = {prediction.MaxLength}: pass --max-len to compare with them.[/]");
        foreach (var warning in prediction.Warnings) o.MarkupLineInterpolated($"[yellow]{warning}[/]");
        return 0;
    }

    private static int LeaveOneOutReport(IReadOnlyList<TransferDataset> datasets, string metric, string family, int resamples, bool json)
    {
        var options = new TransferOptions(Resamples: Math.Min(resamples, 30));
        var report = CliProgress.RunAsync("holding out each dataset in turn", progress =>
            Task.FromResult(LeaveOneOut.Evaluate(datasets, options: options, progress: progress))).GetAwaiter().GetResult();
        var best = report.Best;
        if (json)
        {
            Console.WriteLine(LawJson.Write(new JsonObject
            {
                ["metric"] = metric, ["model"] = family, ["resamples"] = options.Resamples,
                ["datasets"] = new JsonArray(datasets.Where(d => d.Runs.Count > 0).Select(d => (JsonNode?)new JsonObject { ["dataset"] = d.Name, ["runs"] = d.Runs.Count }).ToArray()),
                ["best"] = best?.Proxy.Key(),
                ["proxies"] = new JsonArray(report.Proxies.Select(p => (JsonNode?)new JsonObject
                {
                    ["proxy"] = p.Proxy.Key(), ["label"] = p.Proxy.Label(), ["predictedDatasets"] = p.PredictedDatasets,
                    ["meanAbsoluteError"] = LawJson.Number(p.MeanAbsoluteError), ["meanRelativeError"] = LawJson.Number(p.MeanRelativeError),
                    ["coverage"] = LawJson.Number(p.Coverage),
                    ["heldOut"] = new JsonArray(p.Datasets.Select(d => (JsonNode?)new JsonObject
                    {
                        ["dataset"] = d.Dataset, ["runs"] = d.Runs, ["meanAbsoluteError"] = LawJson.Number(d.MeanAbsoluteError),
                        ["meanRelativeError"] = LawJson.Number(d.MeanRelativeError), ["coverage"] = LawJson.Number(d.Coverage), ["refusal"] = d.Refusal,
                    }).ToArray()),
                }).ToArray()),
            }));
            return 0;
        }
        var heldOut = report.Proxies[0].Datasets.Select(d => d.Dataset).ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Leave-one-dataset-out error of predicted {Markup.Escape(metric)} ({family}), per quality proxy");
        foreach (var header in new[] { "proxy", "q", "datasets predicted", "mean |err|", "mean rel. err", "in interval" }.Concat(heldOut.Select(h => $"|err| {h}")))
            table.AddColumn(Markup.Escape(header));
        foreach (var p in report.Proxies)
            table.AddRow([p.Proxy.Key() + (p == best ? " (best)" : ""), Markup.Escape(p.Proxy.Label()), $"{p.PredictedDatasets}/{p.Datasets.Count}",
                F(p.MeanAbsoluteError, "F4"), F(p.MeanRelativeError, "P1"), F(p.Coverage, "P0"),
                .. p.Datasets.Select(d => d.Predicted ? F(d.MeanAbsoluteError, "F4") : "refused")]);
        CliProgress.Out.Write(table);
        CliProgress.Out.WriteLine(best is null ? $"No proxy predicted any held-out dataset."
            : $"Best: {best.Proxy.Key()} ({best.Proxy.Label()}), mean |error| {F(best.MeanAbsoluteError, "F4")} over {best.PredictedDatasets} held-out datasets.");
        foreach (var refusal in report.Proxies.SelectMany(p => p.Datasets.Where(d => d.Refusal is not null).Select(d => $"{p.Proxy.Key()}, {d.Dataset}: {d.Refusal}")).Take(6))
            CliProgress.Out.MarkupLineInterpolated($"[grey]refused: {refusal}[/]");
        return 0;
    }

    private static JsonObject Point(SurfacePoint p) => new()
    {
        ["layers"] = p.Layers, ["dim"] = p.Dim, ["value"] = LawJson.Number(p.Value), ["low"] = LawJson.Number(p.Low), ["high"] = LawJson.Number(p.High),
    };

    private static string Cell(SurfacePoint p) => p.Low == p.High ? F(p.Value, "F4") : $"{F(p.Value, "F4")} [{F(p.Low, "F4")}–{F(p.High, "F4")}]";

    private static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
