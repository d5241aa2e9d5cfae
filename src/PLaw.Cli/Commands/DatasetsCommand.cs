using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Registry.Datasets;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw datasets</c>: the datasets in the registry.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List the datasets in the registry.") { CommonOptions.Json };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var datasets = await services.GetRequiredService<DatasetCatalog>().ListAsync(ct);
            if (result.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(RegistryJson.Serialize(datasets.Select(d => new
                {
                    d.Id, d.Name, d.Format, d.Source, d.Users, d.Items, d.Interactions, d.Checksum, d.CreatedUtc,
                })));
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in new[] { "id", "name", "format", "users", "items", "interactions", "created (UTC)", "source" })
                table.AddColumn(header);
            foreach (var d in datasets)
                table.AddRow(d.Id.ToString(), Markup.Escape(d.Name), d.Format, d.Users.ToString("N0"), d.Items.ToString("N0"),
                    d.Interactions.ToString("N0"), d.CreatedUtc.ToString("yyyy-MM-dd HH:mm"), Markup.Escape(d.Source));
            CliProgress.Out.Write(table);
            return 0;
        });
        return command;
    }
}
