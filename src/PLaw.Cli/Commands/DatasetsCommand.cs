using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw datasets [--deleted]</c>: the datasets in the registry; <c>plaw datasets delete|restore|purge ID</c>: delete one
/// (restorable), bring it back, or remove it for good with its studies, runs, metrics and checkpoint folders.
/// </summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var deleted = new Option<bool>("--deleted") { Description = "List the deleted datasets (restorable until purged) instead." };
        var command = new Command("datasets", "List the datasets in the registry.") { CommonOptions.Json, deleted };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<DatasetCatalog>();
            var showDeleted = result.GetValue(deleted);
            var datasets = showDeleted ? await catalog.ListDeletedAsync(ct) : await catalog.ListAsync(ct);
            if (result.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(showDeleted
                    ? RegistryJson.Serialize(datasets.Select(d => new
                    {
                        d.Id, d.Name, d.Format, d.Source, d.Users, d.Items, d.Interactions, d.Checksum, d.CreatedUtc, d.DeletedUtc, d.DeletedBy,
                    }))
                    : RegistryJson.Serialize(datasets.Select(d => new
                    {
                        d.Id, d.Name, d.Format, d.Source, d.Users, d.Items, d.Interactions, d.Checksum, d.CreatedUtc,
                    })));
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in new[] { "id", "name", "format", "users", "items", "interactions", "created (UTC)", "source" })
                table.AddColumn(header);
            if (showDeleted) table.AddColumn("deleted (UTC)").AddColumn("by");
            foreach (var d in datasets)
            {
                string[] cells = [d.Id.ToString(), Markup.Escape(d.Name), d.Format, d.Users.ToString("N0"), d.Items.ToString("N0"),
                    d.Interactions.ToString("N0"), d.CreatedUtc.ToString("yyyy-MM-dd HH:mm"), Markup.Escape(d.Source)];
                table.AddRow(showDeleted ? [.. cells, d.DeletedUtc?.ToString("yyyy-MM-dd HH:mm") ?? "", Markup.Escape(d.DeletedBy ?? "")] : cells);
            }
            CliProgress.Out.Write(table);
            return 0;
        });
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Restore());
        command.Subcommands.Add(Purge());
        command.Subcommands.Add(GenerateDatasetCommand.Create());
        return command;
    }

    private static Argument<int> Id() => new("id") { Description = "Dataset id (plaw datasets, or plaw datasets --deleted)." };

    private static Command Delete()
    {
        var id = Id();
        var command = new Command("delete", "Delete a dataset: it and its studies, runs and metrics leave every list and export, " +
                                            "restorable until purged. Refused while a run on it is queued or running.") { id };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<DatasetCatalog>();
            var dataset = result.GetValue(id);
            var deletion = await catalog.DescribeDeletionAsync(dataset, ct)
                ?? throw new KeyNotFoundException($"There is no dataset {dataset} (deleted ones: plaw datasets --deleted).");
            if (!await catalog.DeleteAsync(dataset, CliRegistry.Actor, ct))
                throw new KeyNotFoundException($"There is no dataset {dataset}.");
            await CliRegistry.AuditAsync(services, AuditActions.Deleted, AuditSubjects.Dataset, dataset,
                $"deleted '{deletion.Name}' ({deletion.Runs} runs, {deletion.Studies} studies); restorable until purged");
            Console.WriteLine($"dataset {dataset} '{EchoedText.Of(deletion.Name)}' deleted with {Plural(deletion.Studies, "study", "studies")} and " +
                              $"{Plural(deletion.Runs, "run", "runs")}; restore it with: plaw datasets restore {dataset}");
            return 0;
        });
        return command;
    }

    private static Command Restore()
    {
        var id = Id();
        var command = new Command("restore", "Bring a deleted dataset back with its studies, runs and metrics.") { id };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var dataset = result.GetValue(id);
            if (!await services.GetRequiredService<DatasetCatalog>().RestoreAsync(dataset, ct))
                throw new KeyNotFoundException($"Dataset {dataset} is not a deleted dataset (see plaw datasets --deleted).");
            var name = (await services.GetRequiredService<DatasetCatalog>().FindAsync(dataset, ct))?.Name ?? "";
            await CliRegistry.AuditAsync(services, AuditActions.Restored, AuditSubjects.Dataset, dataset, $"restored '{name}'");
            Console.WriteLine($"dataset {dataset} '{EchoedText.Of(name)}' restored");
            return 0;
        });
        return command;
    }

    private static Command Purge()
    {
        var id = Id();
        var command = new Command("purge", "Remove a dataset (deleted or not) for good: its sequences, entropy tables, studies, runs, " +
                                           "metric points and checkpoint folders. Refused while a run on it is queued or running.") { id };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<DatasetCatalog>();
            var dataset = result.GetValue(id);
            var purge = await catalog.DescribePurgeAsync(dataset, ct) ?? throw new KeyNotFoundException($"There is no dataset {dataset}.");
            if (!await catalog.PurgeAsync(dataset, ct)) throw new KeyNotFoundException($"There is no dataset {dataset}.");
            await CliRegistry.AuditAsync(services, AuditActions.Purged, AuditSubjects.Dataset, dataset,
                $"purged '{purge.Name}': {purge.Runs} runs, {purge.MetricPoints} metric points, {purge.Checkpoints} checkpoint folders");
            Console.WriteLine($"dataset {dataset} '{EchoedText.Of(purge.Name)}' purged: {purge.Describe()}");
            return 0;
        });
        return command;
    }

    private static string Plural(int n, string one, string many) => $"{n:N0} {(n == 1 ? one : many)}";
}
