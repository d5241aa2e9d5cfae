using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Accounts;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw queue --dataset D [run options]</c>: queue one run; the dashboard (or <c>plaw worker</c>) trains it.</summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset id or name in the registry.", Required = true };
        var tags = new Option<string?>("--tags") { Description = "Comma-separated tags." };
        var note = new Option<string?>("--note") { Description = "A free-text note." };
        var flags = new RunOptionFlags();
        var command = new Command("queue", "Queue a training run in the registry. A run that cannot fit in this machine's memory is refused, with the estimate.") { dataset, tags, note, CommonOptions.Json };
        flags.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var options = flags.Bind(result);
            RunOptionFlags.ThrowIfInvalid(options);
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var data = await DatasetReference.ResolveAsync(services, result.GetValue(dataset)!, ct);
            RunRecord run;
            try
            {
                // The catalog checks the options again with the dataset's items, and whether the run fits in memory.
                run = await services.GetRequiredService<RunCatalog>().QueueAsync(data.Id, options, result.GetValue(tags) ?? "", result.GetValue(note), ct);
            }
            catch (RunOptionsException e)
            {
                throw new ArgumentException(RunOptionFlags.Explain(e.Problems));
            }
            await CliRegistry.AuditAsync(services, AuditActions.Queued, AuditSubjects.Run, run.Id, $"queued {run.Name} on {data.Name}");
            if (result.GetValue(CommonOptions.Json)) Console.WriteLine(RegistryJson.Serialize(RunSummary.Of(run)));
            else CliProgress.Out.MarkupLineInterpolated($"queued run [bold]{run.Id}[/] {run.Name} on {data.Name} ({run.NonEmbeddingParameters:N0} non-embedding parameters)");
            return 0;
        });
        return command;
    }
}
