using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Data.Synthetic;
using PLaw.Entropy;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw datasets generate --name … [--domains D --cross-domain p]</c>: stores synthetic Markov sequences
/// (<see cref="MarkovSequenceGenerator"/>, the demo's generator); with <c>--domains</c>, multi-domain data whose next item
/// leaves its domain with the known probability p (<see cref="MultiDomainOptions"/>), for the multi-domain challenge.
/// </summary>
internal static class GenerateDatasetCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Dataset name in the registry.", Required = true };
        var users = new Option<int>("--users") { Description = "Users (sequences).", DefaultValueFactory = _ => 2000 };
        var items = new Option<int>("--items") { Description = "Items.", DefaultValueFactory = _ => 500 };
        var concentration = new Option<double>("--concentration")
        {
            Description = "Dirichlet concentration of the transition rows: low = predictable, high = close to popularity.",
            DefaultValueFactory = _ => 4,
        };
        var minLength = new Option<int>("--min-length") { Description = "Shortest sequence.", DefaultValueFactory = _ => 20 };
        var maxLength = new Option<int>("--max-length") { Description = "Longest sequence.", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { Description = "Random seed (the data is deterministic for a seed).", DefaultValueFactory = _ => 42 };
        var domains = new Option<int?>("--domains") { Description = "Split the items into this many domains (2 or more; default: one domain, no domains stored)." };
        var cross = new Option<double?>("--cross-domain")
        {
            Description = "With --domains: the probability that the next item leaves the current item's domain [default: 0.2].",
        };
        var noEntropy = new Option<bool>("--no-entropy") { Description = "Do not measure the entropy table now." };
        var labels = new Option<bool>("--labels")
        {
            Description = "Label every interaction as an impression (positive with probability σ(0.3 + item appeal + user leniency); SyntheticLabels), for --task ranking.",
        };
        var command = new Command("generate", "Store synthetic Markov-chain sequences as a dataset; with --domains, multi-domain data with a known cross-domain rate.")
        {
            name, users, items, concentration, minLength, maxLength, seed, domains, cross, noEntropy, labels, CommonOptions.Json,
        };
        command.SetAction(async (result, ct) =>
        {
            var markov = new MarkovOptions(result.GetValue(users), result.GetValue(items), result.GetValue(concentration), 1.0,
                result.GetValue(minLength), result.GetValue(maxLength), result.GetValue(seed));
            MultiDomainOptions? multi = null;
            if (result.GetValue(domains) is { } d)
                multi = new MultiDomainOptions(d, result.GetValue(cross) ?? 0.2);
            else if (result.GetValue(cross) is not null)
                throw new ArgumentException("--cross-domain needs --domains (2 or more).");
            try
            {
                markov.Validate();
                multi?.Validate(markov.Items);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"plaw datasets generate: {e.Message}", e);
            }

            var data = MarkovSequenceGenerator.Generate(markov, multi);
            var labelOptions = result.GetValue(labels) ? new SyntheticLabelOptions(Seed: markov.Seed) : null;
            if (labelOptions is not null) data = data with { Sequences = SyntheticLabels.Attach(data.Sequences, labelOptions) };
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var statistics = new
            {
                generator = multi is null ? "markov" : "markov multi-domain",
                entropyRateBits = data.EntropyRateBits,
                domains = multi?.Domains ?? 0,
                crossDomainProbability = multi?.CrossDomainProbability,
                positiveLabels = data.Sequences.Labels?.LongCount(l => l),
            };
            var record = await services.GetRequiredService<DatasetCatalog>().StoreAsync(result.GetValue(name)!, "synthetic", "synthetic",
                RegistryJson.Serialize(new { markov, multiDomain = multi, labels = labelOptions }), RegistryJson.Serialize(statistics), data.Sequences, ct);
            await CliRegistry.AuditAsync(services, AuditActions.Imported, AuditSubjects.Dataset, record.Id,
                $"generated '{record.Name}' ({record.Users:N0} users, {record.Items:N0} items" +
                (multi is null ? ")" : $", {multi.Domains} domains, cross-domain p = {multi.CrossDomainProbability.ToString(CultureInfo.InvariantCulture)})"));
            if (!result.GetValue(noEntropy))
                await CliProgress.RunAsync("measuring entropy", progress =>
                    services.GetRequiredService<EntropyReports>().GetOrComputeAsync(record.Id, EntropyTableOptions.Default, progress, ct));
            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(RegistryJson.Serialize(record));
            else
            {
                var note = multi is null ? "" : $", {multi.Domains} domains (cross-domain p = {multi.CrossDomainProbability.ToString(CultureInfo.InvariantCulture)})";
                CliProgress.Out.MarkupLineInterpolated(
                    $"dataset [bold]{record.Id}[/] [green]{record.Name}[/]: {record.Users:N0} users, {record.Items:N0} items, {record.Interactions:N0} interactions{note}");
            }
            return 0;
        });
        return command;
    }
}
