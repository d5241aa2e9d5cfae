using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Entropy;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw import &lt;file&gt; --format … [--name …] [--item-domains FILE | --domain-column NAME]</c>: store a dataset in the registry
/// and measure its entropy table. Item domains (for the multi-domain challenge) come from an item→domain file or a CSV column.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The interaction file to import." };
        var name = new Option<string?>("--name") { Description = "Dataset name in the registry (default: the file name without extension)." };
        var noEntropy = new Option<bool>("--no-entropy") { Description = "Do not measure the entropy table now (the dashboard measures it on first view)." };
        var itemDomains = new Option<FileInfo?>("--item-domains")
        {
            Description = "Item→domain file: one 'item<TAB>domain' line per item (ids as in the interaction file; optional header 'item<TAB>domain').",
        };
        var domainColumn = new Option<string?>("--domain-column") { Description = "csv only: the column naming each item's domain." };
        var read = new CommonOptions.ReadOptions();
        var command = new Command("import", "Import an interaction file into the registry as per-user chronological sequences.")
        {
            file, name, noEntropy, itemDomains, domainColumn, CommonOptions.Json,
        };
        read.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var path = result.GetValue(file)!.FullName;
            var options = WithDomains(read.Bind(result), result.GetValue(itemDomains), result.GetValue(domainColumn));
            var request = new DatasetImportRequest(path, result.GetValue(name) ?? Path.GetFileNameWithoutExtension(path), options);
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
                CliProgress.Out.MarkupLineInterpolated($"dataset [bold]{record.Id}[/] [green]{record.Name}[/]: {record.Users:N0} users, {record.Items:N0} items, {record.Interactions:N0} interactions{DomainNote(record)}");
            return 0;
        });
        return command;
    }

    private static ImportOptions WithDomains(ImportOptions options, FileInfo? file, string? column)
    {
        if (file is not null && column is not null)
            throw new ArgumentException("--item-domains and --domain-column: give the items' domains one way, not both.");
        if (column is not null)
        {
            if (options.Columns is not { } columns) throw new ArgumentException("--domain-column is for --format csv; with other formats use --item-domains FILE.");
            if (string.IsNullOrWhiteSpace(column)) throw new ArgumentException("--domain-column: name the column (or its 0-based index with --no-header).");
            return options with { Columns = columns with { Domain = column.Trim() } };
        }
        if (file is null) return options;
        if (!file.Exists) throw new FileNotFoundException($"--item-domains: no file at {file.FullName}.", file.FullName);
        return options with { ItemDomainFile = file.FullName };
    }

    private static string DomainNote(DatasetRecord record) =>
        System.Text.Json.JsonDocument.Parse(record.StatisticsJson).RootElement.TryGetProperty("domains", out var d) && d.GetInt32() > 0
            ? $", {d.GetInt32():N0} item domains"
            : "";

    private sealed class FractionAdapter(IProgress<double> target) : IProgress<DatasetImportProgress>
    {
        public void Report(DatasetImportProgress value) => target.Report(value.Fraction);
    }
}
