using System.CommandLine;
using System.Text.Json;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Entropy;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary><c>plaw entropy &lt;file&gt; --format …</c>: the P-Law entropy table of an interaction file, one row per max length.</summary>
internal static class EntropyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The interaction file to measure." };
        var read = new CommonOptions.ReadOptions();
        var maxLen = new Option<string>("--max-len") { Description = "Comma-separated max sequence lengths L.", DefaultValueFactory = _ => "25,50,100,200" };
        var m = new Option<int>("--m") { Description = "ApEn window length m.", DefaultValueFactory = _ => 2 };
        var r = new Option<int>("--r") { Description = "ApEn tolerance r (0: windows match only when equal).", DefaultValueFactory = _ => 0 };
        var wide = new Option<bool>("--wide")
        {
            Description = $"Every column under its full header (about 170 characters wide); by default the main measures fit {EntropyTableView.CompactWidth}.",
        };
        var command = new Command("entropy", "Measure an interaction file's data quality: ApEn, real entropy, Shannon, compression, per max length L.")
        {
            file, maxLen, m, r, wide, CommonOptions.Json,
        };
        read.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var options = new EntropyTableOptions(ParseLengths(result.GetValue(maxLen)!), result.GetValue(m), result.GetValue(r));
            var path = result.GetValue(file)!.FullName;
            var import = read.Bind(result);
            // Both run on this thread (the table's workers join it): a thread hop would wait for the thread pool to start
            // and compile the async machinery of the awaits that suspend, on a command that has nothing else to do meanwhile.
            var data = await CliProgress.RunAsync($"reading {Path.GetFileName(path)}", progress =>
                Task.FromResult(DatasetImporter.Import(path, import, new ImportProgressAdapter(progress), ct)));
            var rows = await CliProgress.RunAsync("measuring", progress =>
                Task.FromResult(EntropyTable.Compute(data.Sequences, options, progress, ct)));
            if (result.GetValue(CommonOptions.Json))
                Console.WriteLine(JsonSerializer.Serialize(rows, RegistryJson.Indented));
            else
                EntropyTableView.Write(rows, result.GetValue(wide));
            return 0;
        });
        return command;
    }

    internal static int[] ParseLengths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var lengths = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out lengths[i]) || lengths[i] < 1)
                throw new ArgumentException($"--max-len '{text}': expected positive whole numbers separated by commas, found '{parts[i]}'.");
        return lengths.Length > 0 ? lengths : throw new ArgumentException("--max-len needs at least one length.");
    }

    private sealed class ImportProgressAdapter(IProgress<double> target) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) =>
            target.Report(value.TotalBytes > 0 ? (double)value.BytesRead / value.TotalBytes : 0);
    }
}
