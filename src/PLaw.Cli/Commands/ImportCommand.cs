using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Entropy;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw import &lt;file&gt; --format … [--name …]</c>: store a dataset in the registry and measure its entropy table.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The interaction file to import." };
        var name = new Option<string?>("--name") { Description = "Dataset name in the registry (default: the file name without extension)." };
        var noEntropy = new Option<bool>("--no-entropy") { Description = "Do not measure the entropy table now (the dashboard measures it on first view)." };
        var read = new CommonOptions.ReadOptions();
        var command = new Command("import", "Import an interaction file into the registry as per-user chronological sequences.")
        {
            file, name, noEntropy, CommonOptions.Json,
        };
        read.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var path = result.GetValue(file)!.FullName;
            var request = new DatasetImportRequest(path, result.GetValue(name) ?? Path.GetFileNameWithoutExtension(path), read.Bind(result));
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var catalog = services.GetRequiredService<DatasetCatalog>();
            var record = await CliProgress.RunAsync($"importing {Path.GetFileName(path)}", progress =>
                catalog.ImportAsync(request, new FractionAdapter(progress), ct));
            await CliRegistry.AuditAsync(services, AuditActions.Imported, AuditSubjects.Dataset, record.Id,
                $"imported '{record.Name}' from {record.Source} ({record.Users:N0} users, {record.Interactions:N0} interactions)");
            if (!result.GetValue(noEntropy))
                await CliProgress.RunAsync("measuring entropy", progress =>
                    services.GetRequiredService<EntropyReports>().GetOrComputeAsync(record.Id, EntropyTableOptions.Default, progress, ct));
            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(RegistryJson.Serialize(record));
            else
                CliProgress.Out.MarkupLineInterpolated($"dataset [bold]{record.Id}[/] [green]{record.Name}[/]: {record.Users:N0} users, {record.Items:N0} items, {record.Interactions:N0} interactions");
            return 0;
        });
        return command;
    }

    private sealed class FractionAdapter(IProgress<double> target) : IProgress<DatasetImportProgress>
    {
        public void Report(DatasetImportProgress value) => target.Report(value.Fraction);
    }
}
