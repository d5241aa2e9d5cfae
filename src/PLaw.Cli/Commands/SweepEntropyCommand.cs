using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PLaw.Cli.Shell;
using PLaw.Engine.Training;
using PLaw.Laws.EntropySweep;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Worker.Queue;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;
using PLaw.Registry.Sweeps;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw sweep-entropy [--rates 2,3,4,5] [--users N --items M] [--layers-grid 1,2 --dims 16,32] [--epochs E] [--wait] [--json]</c>:
/// Markov datasets that differ only in entropy rate, each with its entropy table and a study over the same grid; with
/// <c>--wait</c> trained here and analysed. <c>--report ID</c> analyses an existing sweep.
/// </summary>
internal static class SweepEntropyCommand
{
    private static readonly JsonSerializerOptions Json = new(RegistryJson.Indented) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static Command Create()
    {
        var defaults = new EntropySweepRequest();
        var rates = new Option<string?>("--rates") { Description = $"Target entropy rates in bits per item, e.g. 2,3,4,5 (default {string.Join(",", defaults.RatesBits)})." };
        var users = new Option<int?>("--users") { Description = $"Users per dataset (default {defaults.Users})." };
        var items = new Option<int?>("--items") { Description = $"Items per dataset (default {defaults.Items})." };
        var minLength = new Option<int?>("--min-length") { Description = $"Shortest sequence (default {defaults.MinLength})." };
        var maxLength = new Option<int?>("--max-length") { Description = $"Longest sequence (default {defaults.MaxLength})." };
        var seed = new Option<int?>("--seed") { Description = $"Seed of the chains and of the runs (default {defaults.Seed})." };
        var model = new Option<string?>("--model") { Description = "Model family of the grid: sasrec, hstu or llama (default sasrec)." };
        var layers = new Option<string?>("--layers-grid") { Description = $"Grid: layers (default {string.Join(",", defaults.Layers)})." };
        var dims = new Option<string?>("--dims") { Description = $"Grid: widths (default {string.Join(",", defaults.Dims)})." };
        var epochs = new Option<int?>("--epochs") { Description = $"Epochs per run (default {defaults.Epochs})." };
        var trainLength = new Option<int?>("--max-len") { Description = $"The runs' max length L; the entropy table is measured at it (default {defaults.TrainMaxLength})." };
        var metric = new Option<string?>("--metric") { Description = $"Final test metric the law is fitted to (default {defaults.Metric})." };
        var wait = new Option<bool>("--wait") { Description = "Train the sweep's runs in this process (with every other queued run), then print the report." };
        var report = new Option<int?>("--report") { Description = "Print the analysis of sweep ID (its runs must have finished on at least three datasets)." };
        var command = new Command("sweep-entropy",
            "The joint law on data with known entropy: Markov datasets that differ only in entropy rate, the same grid trained on each; " +
            "does the fitted data term track the true rate, and how far does each measured proxy miss it?")
        {
            rates, users, items, minLength, maxLength, seed, model, layers, dims, epochs, trainLength, metric, wait, report, CommonOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var json = result.GetValue(CommonOptions.Json);
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var sweeps = services.GetRequiredService<EntropySweeps>();
            if (result.GetValue(report) is { } reportId)
            {
                await PrintReportAsync(sweeps, reportId, json, ct);
                return 0;
            }
            var request = new EntropySweepRequest
            {
                RatesBits = Doubles(result.GetValue(rates), "--rates") ?? defaults.RatesBits,
                Users = result.GetValue(users) ?? defaults.Users,
                Items = result.GetValue(items) ?? defaults.Items,
                MinLength = result.GetValue(minLength) ?? defaults.MinLength,
                MaxLength = result.GetValue(maxLength) ?? defaults.MaxLength,
                Seed = result.GetValue(seed) ?? defaults.Seed,
                Model = result.GetValue(model) is { } m ? GridLists.Enums<ModelFamily>(m, "--model").Single() : defaults.Model,
                Layers = result.GetValue(layers) is { } l ? GridLists.Ints(l, "--layers-grid") : defaults.Layers,
                Dims = result.GetValue(dims) is { } d ? GridLists.Ints(d, "--dims") : defaults.Dims,
                Epochs = result.GetValue(epochs) ?? defaults.Epochs,
                TrainMaxLength = result.GetValue(trainLength) ?? defaults.TrainMaxLength,
                Metric = result.GetValue(metric) ?? defaults.Metric,
            };
            EntropySweepStatus status;
            try
            {
                status = await CliProgress.RunAsync("generating datasets", async bar =>
                    await sweeps.CreateAsync(request, new SynchronousProgress<EntropySweepProgress>(p => bar.Report(p.Fraction)), ct));
            }
            catch (RunOptionsException e)
            {
                throw new ArgumentException(RunOptionFlags.Explain(e.Problems));
            }
            await CliRegistry.AuditAsync(services, AuditActions.SweepQueued, AuditSubjects.Sweep, status.Id,
                $"entropy sweep: {status.Members.Count} datasets, {status.Runs} runs");
            if (!result.GetValue(wait))
            {
                if (json) Console.WriteLine(JsonSerializer.Serialize(status, Json));
                else PrintStatus(status);
                return 0;
            }
            if (!json) PrintStatus(status);
            await TrainAsync(services, result.GetValue(CommonOptions.DataDirectory), sweeps, status, ct);
            await PrintReportAsync(sweeps, status.Id, json, ct);
            return 0;
        });
        return command;
    }

    private static double[]? Doubles(string? text, string flag)
    {
        if (text is null) return null;
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new ArgumentException($"{flag}: '{part}' is not a number (expected e.g. 2,3,4,5).");
            values.Add(value);
        }
        return values.Count == 0 ? throw new ArgumentException($"{flag}: give at least one value (e.g. 2,3,4,5).") : values.ToArray();
    }

    /// <summary>Runs the queue worker here until every run of the sweep has finished, with one bar over the sweep's runs.</summary>
    private static async Task TrainAsync(ServiceProvider services, string? dataDirectory, EntropySweeps sweeps, EntropySweepStatus status,
        CancellationToken ct)
    {
        var settings = new PLawOptions();
        if (dataDirectory is { } dir) settings.DataDirectory = dir;
        var worker = new RunQueueWorker(services.GetRequiredService<RunCatalog>(), services.GetRequiredService<MetricStore>(),
            services.GetRequiredService<DatasetCatalog>(), services.GetRequiredService<RunFeed>(), Options.Create(settings),
            services.GetRequiredService<ILogger<RunQueueWorker>>());
        await worker.StartAsync(ct);
        try
        {
            await CliProgress.StartAsync($"training {status.Runs} runs", status.Runs, async bar =>
            {
                while (true)
                {
                    var now = await sweeps.FindAsync(status.Id, ct) ?? throw new KeyNotFoundException($"Entropy sweep {status.Id} was deleted.");
                    bar.Value = now.Completed + now.Failed;
                    bar.Description = $"training: {now.Completed}/{now.Runs} done, {now.Failed} failed, {now.Running} running";
                    if (now.Completed + now.Failed >= now.Runs) break;
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
            });
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private static void PrintStatus(EntropySweepStatus status)
    {
        CliProgress.Out.MarkupLineInterpolated($"entropy sweep [bold]{status.Id}[/]: {status.Members.Count} datasets, {status.Runs} runs queued");
        var table = new Table().AddColumns("target bits", "true rate bits", "concentration", "dataset", "study");
        foreach (var m in status.Members)
            table.AddRow(m.TargetBits.ToString("G4", CultureInfo.InvariantCulture), m.TrueRateBits.ToString("F3", CultureInfo.InvariantCulture),
                m.Concentration.ToString("G4", CultureInfo.InvariantCulture), $"{m.DatasetId} {Markup.Escape(m.DatasetName)}", m.StudyId?.ToString(CultureInfo.InvariantCulture) ?? "");
        CliProgress.Out.Write(table);
        CliProgress.Out.MarkupLineInterpolated($"train with [bold]plaw worker --until-empty[/], then [bold]plaw sweep-entropy --report {status.Id}[/]");
    }

    private static async Task PrintReportAsync(EntropySweeps sweeps, int id, bool json, CancellationToken ct)
    {
        var report = await sweeps.ReportAsync(id, ct);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { sweepId = id, report }, Json));
            return;
        }
        var f = CultureInfo.InvariantCulture;
        static string N(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        var datasets = new Table().Title($"datasets (metric {report.Metric})").AddColumns("dataset", "true rate bits", "tokens", "q = tokens/rate", "runs", "data term", "fitted D", "c·q");
        foreach (var d in report.Datasets)
            datasets.AddRow(Markup.Escape(d.Name), d.TrueRateBits.ToString("F3", f), d.Tokens.ToString("N0", f), d.Quality.ToString("G4", f),
                d.Runs.ToString(f), N(d.MeasuredOffset, "+0.0000;-0.0000"), N(d.FittedD, "G4"), N(d.JointD, "G4"));
        CliProgress.Out.Write(datasets);
        var fits = new Table().Title("joint law D = c·q, by choice of q").AddColumns("q from", "c", "w5", "RMSE", "R² (runs)", "R² data term", "r(data term, ln q)", "R² D vs q", "ln D / ln q");
        foreach (var q in report.Fits)
            fits.AddRow(Markup.Escape(q.Source), N(q.C, "G3"), N(q.W5, "F3"), N(q.Rmse, "F4"), N(q.R2, "F3"), N(q.OffsetR2, "F3"), N(q.OffsetVersusLogQ, "F2"),
                N(q.DVersusQualityR2, "F3"), q.Error is { } e ? Markup.Escape("failed: " + e) : N(q.LogSlope, "F2"));
        CliProgress.Out.Write(fits);
        var proxies = new Table().Title("proxies against the true rate (bits)").AddColumns(["proxy", .. report.Datasets.Where(d => d.Runs > 0).Select(d => d.TrueRateBits.ToString("F2", f)), "mean |miss|", "after scale", "rank r"]);
        foreach (var p in report.Proxies)
            proxies.AddRow([Markup.Escape(p.Proxy), .. p.EstimatesBits.Select(e => e.ToString("F3", f)), N(p.MeanAbsRelativeMiss, "P0"), N(p.MeanAbsRelativeMissAfterScale, "P0"), N(p.RankCorrelation, "F2")]);
        CliProgress.Out.Write(proxies);
        CliProgress.Out.WriteLine(report.Conclusion);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
