using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Storage;
using PLaw.Registry.Workers;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw workers [--state s] [--json] [--registry …]</c>: the workers training from the registry, as the dashboard's Workers page shows them.</summary>
internal static class WorkersCommand
{
    public static Command Create()
    {
        var state = new Option<string?>("--state") { Description = "Only workers in this state: live | lost (no heartbeat within its lease) | stopped." };
        var registry = new Option<string?>("--registry")
        {
            Description = "The registry to read, as for `plaw worker`: a PostgreSQL connection string or URI, or a SQLite file. " +
                          "Default: $PLAW_REGISTRY, else the SQLite file under --data-dir.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLAW_REGISTRY") is { Length: > 0 } env ? env : null,
        };
        var passwordFile = new Option<string?>("--registry-password-file")
        {
            Description = "A file holding the PostgreSQL password. Default: $PLAW_REGISTRY_PASSWORD_FILE.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PLAW_REGISTRY_PASSWORD_FILE") is { Length: > 0 } env ? env : null,
        };
        var command = new Command("workers", "List the workers (dashboards and `plaw worker`s) that train from the registry: host, devices, heartbeat, state and current runs.")
        {
            state, CommonOptions.Json, registry, passwordFile,
        };
        command.SetAction(async (result, ct) =>
        {
            WorkerState? wanted = null;
            if (result.GetValue(state) is { } s)
                wanted = WorkerStates.Parse(s) ?? throw new ArgumentException($"--state: '{s}' is not one of live, lost, stopped.");
            await using var services = result.GetValue(registry) is { } connection
                ? await WorkerCommand.OpenAsync(RegistryConnection.Parse(connection).WithPasswordFile(result.GetValue(passwordFile)), joined: false, ct)
                : await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var workers = (await services.GetRequiredService<WorkerRegistry>().ListAsync(ct)).Where(w => wanted is null || w.State == wanted).ToList();
            if (result.GetValue(CommonOptions.Json)) Console.WriteLine(RegistryJson.Serialize(workers));
            else if (workers.Count == 0) CliProgress.Error.MarkupLine(wanted is null ? "No worker has registered with this registry yet." : $"No {wanted.Value.Label()} worker.");
            else CliProgress.Out.Write(Table(workers));
            return 0;
        });
        return command;
    }

    private static Table Table(IEnumerable<WorkerSummary> workers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in new[] { "host", "process", "state", "heartbeat", "devices", "backends", "started (UTC)", "runs" })
            table.AddColumn(header);
        foreach (var w in workers)
            table.AddRow(Markup.Escape(w.Host), Markup.Escape($"{w.Kind}, pid {w.ProcessId}"), State(w.State), WorkerSummary.Short(w.HeartbeatAge) + " ago",
                Markup.Escape(w.DevicesText), Markup.Escape(w.Backends), w.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                w.Runs.Count == 0 ? "" : Markup.Escape(string.Join(", ", w.Runs.Select(r => $"{r.Id} {r.Name} ({r.EpochsDone}/{r.Epochs})"))));
        return table;
    }

    private static string State(WorkerState state) => state switch
    {
        WorkerState.Live => "[green]live[/]",
        WorkerState.Lost => "[red]lost[/]",
        _ => "[grey]stopped[/]",
    };
}
