using System.CommandLine;
using PLaw.Data.Import;
using PLaw.Data.Preprocessing;

namespace PLaw.Cli.Shell;

/// <summary>Options several commands share: where the registry is, how to read an interaction file.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> DataDirectory = new("--data-dir")
    {
        Description = "Folder of the registry (default: $PLAW_DATA_DIR, else $XDG_DATA_HOME/plaw, else ~/.local/share/plaw).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print the result as JSON on standard output." };

    /// <summary>The options that turn a file into sequences; added to every command that reads one.</summary>
    public sealed class ReadOptions
    {
        public readonly Option<string> Format = new("--format")
        {
            Description = "movielens (ratings.dat, u.data, ratings.csv) | sasrec ('user item' lines) | csv (with --columns) | recbole (.inter)",
            Required = true,
        };
        public readonly Option<string?> Columns = new("--columns")
        {
            Description = "csv only: user,item[,timestamp[,rating]] column names (or 0-based indices with --no-header).",
        };
        public readonly Option<string?> Delimiter = new("--delimiter") { Description = "csv only: one character or 'tab' (default: detect)." };
        public readonly Option<bool> NoHeader = new("--no-header") { Description = "csv only: the file has no header line." };
        public readonly Option<double?> MinRating = new("--min-rating") { Description = "Keep interactions rated at least this (default: keep all)." };
        public readonly Option<int> UserCore = new("--user-core") { Description = "k-core: drop users with fewer interactions, repeatedly (0: off)." };
        public readonly Option<int> ItemCore = new("--item-core") { Description = "k-core: drop items with fewer interactions, repeatedly (0: off)." };
        public readonly Option<int?> KeepLast = new("--keep-last") { Description = "Store only each user's newest N items (default: all)." };
        public readonly Option<bool> Dedupe = new("--dedupe") { Description = "Remove repeated identical (user, item, timestamp) lines." };
        public readonly Option<bool> Labels = new("--labels")
        {
            Description = "Keep each interaction's label (rating ≥ --label-threshold → positive, else negative): labelled impressions for --task ranking. Needs a rating column.",
        };
        public readonly Option<double> LabelThreshold = new("--label-threshold")
        {
            Description = "With --labels: the lowest positive rating.", DefaultValueFactory = _ => ImportOptions.DefaultLabelThreshold,
        };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Format, Columns, Delimiter, NoHeader, MinRating, UserCore, ItemCore, KeepLast, Dedupe, Labels, LabelThreshold })
                command.Options.Add(option);
        }

        public ImportOptions Bind(ParseResult result)
        {
            var format = InteractionFormats.Parse(result.GetValue(Format)!);
            CsvColumns? columns = null;
            if (format == InteractionFormat.Csv)
            {
                var names = (result.GetValue(Columns) ?? throw new ArgumentException("--format csv needs --columns user,item[,timestamp[,rating]]."))
                    .Split(',', StringSplitOptions.TrimEntries);
                if (names.Length is < 2 or > 4 || names.Any(string.IsNullOrEmpty))
                    throw new ArgumentException($"--columns '{result.GetValue(Columns)}': expected user,item[,timestamp[,rating]].");
                var delimiter = result.GetValue(Delimiter) switch
                {
                    null or "" => (char?)null,
                    "tab" or "\\t" => '\t',
                    { Length: 1 } d => d[0],
                    var d => throw new ArgumentException($"--delimiter '{d}': expected one character or 'tab'."),
                };
                columns = new CsvColumns(names[0], names[1], names.ElementAtOrDefault(2), names.ElementAtOrDefault(3), delimiter, !result.GetValue(NoHeader));
            }
            var preprocess = new PreprocessOptions(result.GetValue(MinRating), result.GetValue(UserCore), result.GetValue(ItemCore),
                result.GetValue(KeepLast), result.GetValue(Dedupe));
            if (!result.GetValue(Labels) && result.GetResult(LabelThreshold) is { Implicit: false })
                throw new ArgumentException("--label-threshold needs --labels.");
            return new ImportOptions(format, columns, preprocess, LabelThreshold: result.GetValue(Labels) ? result.GetValue(LabelThreshold) : null);
        }
    }
}
