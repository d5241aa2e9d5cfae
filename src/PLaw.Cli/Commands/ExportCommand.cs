using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Runs;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw export runs|metrics [--runs 1,2] [--study N] [--format csv|json] [--out file]</c>, streamed.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var what = new Argument<string>("what") { Description = "runs | metrics" };
        var runs = new Option<string?>("--runs") { Description = "Run ids (metrics: required unless --study)." };
        var study = new Option<int?>("--study") { Description = "Only this study's runs." };
        var format = new Option<string>("--format") { Description = "csv | json", DefaultValueFactory = _ => "csv" };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file (default: standard output)." };
        var command = new Command("export", "Export runs or metric histories as CSV or JSON.") { what, runs, study, format, output };
        command.SetAction(async (result, ct) =>
        {
            var json = result.GetValue(format)!.ToLowerInvariant() switch
            {
                "csv" => false, "json" => true, var f => throw new ArgumentException($"--format: '{f}' is not csv or json."),
            };
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<RunCatalog>();
            IEnumerable<RunSummary> selected = await catalog.ListAsync(result.GetValue(study), ct);
            if (result.GetValue(runs) is { } ids)
            {
                var wanted = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => int.TryParse(s, out var id) ? id : throw new ArgumentException($"--runs: '{s}' is not a run id.")).ToHashSet();
                selected = selected.Where(r => wanted.Contains(r.Id));
            }
            var list = selected.OrderBy(r => r.Id).ToList();
            var target = result.GetValue(output);
            var temporary = target is null ? null : target.FullName + ".partial";
            try
            {
            await using (var stream = temporary is null ? Console.OpenStandardOutput() : File.Create(temporary))
            {
                switch (result.GetValue(what)!.ToLowerInvariant())
                {
                    case "runs" when json: await RunExport.RunsJsonAsync(list, stream, ct); break;
                    case "runs": await RunExport.RunsCsvAsync(list, stream, ct); break;
                    case "metrics":
                        if (result.GetValue(runs) is null && result.GetValue(study) is null)
                            throw new ArgumentException("export metrics needs --runs or --study.");
                        var points = services.GetRequiredService<MetricStore>().StreamAsync(list.Select(r => r.Id).ToList(), ct);
                        if (json) await RunExport.MetricsJsonAsync(points, stream, ct);
                        else await RunExport.MetricsCsvAsync(points, stream, ct);
                        break;
                    default: throw new ArgumentException($"export: '{result.GetValue(what)}' is not runs or metrics.");
                }
            }
            }
            catch when (temporary is not null)
            {
                File.Delete(temporary);
                throw;
            }
            // Written whole or not at all.
            if (temporary is not null) File.Move(temporary, target!.FullName, overwrite: true);
            return 0;
        });
        return command;
    }
}
