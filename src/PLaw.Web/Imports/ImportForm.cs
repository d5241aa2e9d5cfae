using PLaw.Data.Import;
using PLaw.Data.Preprocessing;

namespace PLaw.Web.Imports;

/// <summary>What the import form edits; turns into the library's <see cref="ImportOptions"/>.</summary>
public sealed class ImportForm
{
    public string Name { get; set; } = "";
    public InteractionFormat Format { get; set; } = InteractionFormat.MovieLens;
    public string ServerPath { get; set; } = "";

    public string UserColumn { get; set; } = "user";
    public string ItemColumn { get; set; } = "item";
    public string TimestampColumn { get; set; } = "timestamp";
    public string RatingColumn { get; set; } = "";
    public string Delimiter { get; set; } = "";
    public bool HasHeader { get; set; } = true;

    public double? MinRating { get; set; }
    public int UserCore { get; set; }
    public int ItemCore { get; set; }
    public int? MaxLength { get; set; }
    public bool RemoveDuplicates { get; set; }

    public ImportOptions ToOptions()
    {
        var columns = Format == InteractionFormat.Csv
            ? new CsvColumns(UserColumn.Trim(), ItemColumn.Trim(), NullIfBlank(TimestampColumn), NullIfBlank(RatingColumn),
                Delimiter switch { "" => null, "\\t" or "tab" => '\t', var d when d.Length == 1 => d[0],
                    _ => throw new ArgumentException($"Delimiter '{Delimiter}' must be one character, 'tab' or empty (detect).") },
                HasHeader)
            : null;
        return new ImportOptions(Format, columns, new PreprocessOptions(MinRating, UserCore, ItemCore, MaxLength, RemoveDuplicates));
    }

    private static string? NullIfBlank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
