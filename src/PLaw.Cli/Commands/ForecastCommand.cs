using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Laws.Fitting;
using PLaw.Laws.Forecast;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw forecast &lt;run&gt; [--metric NDCG@10] [--split valid] [--json]</c>: where a run's evaluation metric (by epoch, to its
/// last epoch) and training loss (by step, to its last step) will end, from the curve so far (<see cref="CurveForecaster"/>).
/// <c>plaw forecast --accuracy [--study N]</c>: the same forecasts made at 25 % and 50 % of every completed run against where
/// the run really ended.
/// </summary>
internal static class ForecastCommand
{
    /// <summary>Loss points fitted: the stored per-step losses averaged over this many equal step buckets (less noise, same curve).</summary>
    private const int LossPoints = 200;

    public static Command Create()
    {
        var run = new Argument<int?>("run") { Description = "Run id (not with --accuracy).", Arity = ArgumentArity.ZeroOrOne };
        var metric = new Option<string>("--metric") { Description = "Evaluation metric to forecast.", DefaultValueFactory = _ => "NDCG@10" };
        var split = new Option<string>("--split") { Description = "valid | test: the split the metric is read from.", DefaultValueFactory = _ => MetricSplits.Valid };
        var accuracy = new Option<bool>("--accuracy") { Description = "Back-test: forecast every completed run at 25 % and 50 % of training and compare with its final values." };
        var study = new Option<int?>("--study") { Description = "With --accuracy: only this study's runs." };
        var command = new Command("forecast", "Forecast a run's final metric and loss from its learning curve so far (or back-test the forecasts).")
            { run, metric, split, accuracy, study, CommonOptions.Json };
        command.SetAction(async (result, ct) =>
        {
            var splitName = result.GetValue(split)!;
            if (splitName is not (MetricSplits.Valid or MetricSplits.Test))
                throw new ArgumentException($"--split '{splitName}': expected valid or test.");
            var metricName = result.GetValue(metric)!;
            var id = result.GetValue(run);
            var backTest = result.GetValue(accuracy);
            if (backTest == id is not null)
                throw new ArgumentException(backTest ? "--accuracy back-tests all completed runs: give no run id (use --study N to narrow it)."
                    : "Give a run id (plaw forecast 12), or --accuracy to back-test completed runs.");
            if (!backTest && result.GetValue(study) is not null) throw new ArgumentException("--study goes with --accuracy.");
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<RunCatalog>();
            var metrics = services.GetRequiredService<MetricStore>();
            var json = result.GetValue(CommonOptions.Json);
            if (backTest) return await AccuracyAsync(catalog, metrics, result.GetValue(study), splitName, metricName, json, ct);

            var record = await catalog.FindAsync(id!.Value, ct) ?? throw new KeyNotFoundException($"Run {id} does not exist.");
            var curves = await CurvesAsync(metrics, record, splitName, metricName, ct);
            var forecasts = curves.Select(c => Forecast(c)).ToList();
            if (json)
            {
                Console.WriteLine(RegistryJson.Serialize(new
                {
                    runId = record.Id, record.Name, status = record.Status.ToString().ToLowerInvariant(), record.Epochs, record.EpochsDone,
                    forecasts,
                }));
                return 0;
            }
            CliProgress.Out.MarkupLineInterpolated($"run {record.Id} {record.Name}: {record.Status.ToString().ToLowerInvariant()}, epoch {record.EpochsDone}/{record.Epochs}");
            foreach (var f in forecasts) CliProgress.Out.MarkupLineInterpolated($"{Describe(f)}");
            return 0;
        });
        return command;
    }

    /// <summary>A learning curve read from the registry: what it is, its points in its unit, and where the run ends.</summary>
    private sealed record Curve(string Split, string Name, string Unit, double Target, IReadOnlyList<(double T, double Value)> Points)
    {
        public CurveDirection Direction => CurveDirections.Of(Name);
    }

    /// <summary>The metric by epoch (to the run's last epoch) and the training loss by step (to its last step).</summary>
    private static async Task<IReadOnlyList<Curve>> CurvesAsync(MetricStore metrics, RunRecord run, string split, string metric, CancellationToken ct)
    {
        var evals = await metrics.SeriesAsync(run.Id, split, metric, ct: ct);
        var loss = await metrics.SeriesAsync(run.Id, MetricSplits.Train, "loss", LossPoints, ct);
        var curves = new List<Curve>
        {
            new(split, metric, "epoch", run.Epochs, evals.Where(p => double.IsFinite(p.Value)).Select(p => ((double)p.Epoch, p.Value)).ToList()),
        };
        // Steps per epoch are constant within a run: read them off the last evaluation (or the run's progress).
        var anchor = evals.LastOrDefault(p => p.Epoch > 0);
        double? stepsPerEpoch = anchor.Epoch > 0 ? (double)anchor.Step / anchor.Epoch
            : run.EpochsDone > 0 ? (double)run.StepsDone / run.EpochsDone : null;
        if (stepsPerEpoch is { } spe)
            curves.Add(new Curve(MetricSplits.Train, "loss", "step", Math.Round(spe * run.Epochs),
                loss.Where(p => double.IsFinite(p.Value) && p.Step > 0).Select(p => ((double)p.Step, p.Value)).ToList()));
        return curves;
    }

    private sealed record ForecastRow(string Split, string Name, string Unit, double Target, int Points, double? LastSeen, double? LastValue,
        double? Value, double? Low, double? High, double? Level, string? Refusal);

    private static ForecastRow Forecast(Curve c)
    {
        var last = c.Points.Count > 0 ? c.Points.MaxBy(p => p.T) : ((double T, double Value)?)null;
        try
        {
            var f = CurveForecaster.Forecast(c.Points, c.Target, c.Direction);
            return new ForecastRow(c.Split, c.Name, c.Unit, c.Target, f.Points, f.LastSeen, last?.Value, f.Value, f.Low, f.High, f.Level, null);
        }
        catch (LawFitException e)
        {
            return new ForecastRow(c.Split, c.Name, c.Unit, c.Target, c.Points.Count, last?.T, last?.Value, null, null, null, null, e.Message);
        }
    }

    private static string Describe(ForecastRow f)
    {
        var what = $"{f.Split} {f.Name} at {f.Unit} {F(f.Target, "N0")}";
        if (f.Value is not { } v) return $"{what}: no forecast: {f.Refusal}";
        var seen = f.Unit == "epoch" ? $"{f.Points} evaluations" : $"{f.Points} points";
        return $"{what}: forecast {F(v, "F4")} ({f.Level:P0} interval {F(f.Low!.Value, "F4")}–{F(f.High!.Value, "F4")}) from {seen} up to {f.Unit} " +
               $"{F(f.LastSeen!.Value, "N0")}; last measured {F(f.LastValue!.Value, "F4")}";
    }

    private static async Task<int> AccuracyAsync(RunCatalog catalog, MetricStore metrics, int? study, string split, string metric, bool json,
        CancellationToken ct)
    {
        var runs = (await catalog.ListAsync(study, ct)).Where(r => r.Status == RunStatus.Completed).OrderBy(r => r.Id).ToList();
        if (runs.Count == 0)
            throw new InvalidOperationException($"No completed runs{(study is { } s ? $" in study {s}" : "")} to back-test the forecasts on.");
        var checks = new List<(int RunId, Curve Curve, ForecastCheck Check)>();
        foreach (var summary in runs)
        {
            var record = await catalog.FindAsync(summary.Id, ct);
            if (record is null) continue;
            foreach (var curve in await CurvesAsync(metrics, record, split, metric, ct))
                if (curve.Points.Count > 0)
                    checks.AddRange(ForecastAccuracy.Measure(curve.Points, curve.Direction).Select(c => (record.Id, curve, c)));
        }
        var tables = checks.GroupBy(c => $"{c.Curve.Split} {c.Curve.Name}")
            .Select(g => (Series: g.Key, Rows: ForecastAccuracy.Summarise(g.Select(c => c.Check)))).ToList();
        if (json)
        {
            Console.WriteLine(RegistryJson.Serialize(new
            {
                runs = runs.Count,
                summary = tables.SelectMany(t => t.Rows.Select(r => new { series = t.Series, r.Fraction, r.Curves, r.Forecast, r.MeanAbsoluteError,
                    r.MedianAbsoluteError, r.MeanRelativeError, r.MedianRelativeError, r.Coverage })),
                checks = checks.Select(c => new
                {
                    c.RunId, series = $"{c.Curve.Split} {c.Curve.Name}", c.Check.Fraction, c.Check.Cutoff, c.Check.Target, c.Check.Truth,
                    forecast = c.Check.Forecast?.Value, low = c.Check.Forecast?.Low, high = c.Check.Forecast?.High, points = c.Check.Forecast?.Points,
                    c.Check.AbsoluteError, c.Check.RelativeError, c.Check.Covered, c.Check.Refusal,
                }),
            }));
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded).Title($"Forecast accuracy on {runs.Count} completed runs");
        foreach (var header in new[] { "series", "seen", "runs", "forecast", "mean |err|", "median |err|", "mean rel. err", "median rel. err", "in interval" })
            table.AddColumn(header);
        foreach (var (series, rows) in tables)
        foreach (var r in rows)
            table.AddRow(Markup.Escape(series), r.Fraction.ToString("P0", CultureInfo.InvariantCulture), r.Curves.ToString(CultureInfo.InvariantCulture),
                r.Forecast.ToString(CultureInfo.InvariantCulture), O(r.MeanAbsoluteError, "F4"), O(r.MedianAbsoluteError, "F4"),
                O(r.MeanRelativeError, "P1"), O(r.MedianRelativeError, "P1"), O(r.Coverage, "P0"));
        CliProgress.Out.Write(table);
        foreach (var refusal in checks.Where(c => c.Check.Refusal is not null).Select(c => c.Check.Refusal).Distinct().Take(3))
            CliProgress.Out.MarkupLineInterpolated($"[grey]not forecast: {refusal}[/]");
        return 0;
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string O(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}
