using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw runs [--study N] [--status s]</c>: the registry's runs, newest first.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var study = new Option<int?>("--study") { Description = "Only this study's runs." };
        var status = new Option<string?>("--status") { Description = "queued | running | completed | failed | cancelled" };
        var command = new Command("runs", "List the training runs in the registry.") { study, status, CommonOptions.Json };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            IEnumerable<RunSummary> runs = await services.GetRequiredService<RunCatalog>().ListAsync(result.GetValue(study), ct);
            if (result.GetValue(status) is { } s)
            {
                var wanted = RunOptionFlags.ParseEnum<RunStatus>(s, "--status");
                runs = runs.Where(r => r.Status == wanted);
            }
            if (result.GetValue(CommonOptions.Json)) Console.WriteLine(RegistryJson.Serialize(runs));
            else CliProgress.Out.Write(RunTable.Of(runs));
            return 0;
        });
        return command;
    }
}
