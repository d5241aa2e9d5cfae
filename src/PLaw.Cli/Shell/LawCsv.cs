using System.Globalization;
using PLaw.Data.Import;

namespace PLaw.Cli.Shell;

/// <summary>
/// The small CSV files the law commands read: a header naming the columns, then one run per line. Blank lines and lines
/// starting with '#' are skipped. Anything else that does not fit throws <see cref="DataFormatException"/> naming the file,
/// the 1-based line and what was expected.
/// </summary>
internal sealed class LawCsv
{
    public sealed record Row(long Line, IReadOnlyDictionary<string, double> Numbers, IReadOnlyDictionary<string, string> Texts)
    {
        public double this[string column] => Numbers[column];
    }

    private LawCsv(string source, IReadOnlyList<string> columns, IReadOnlyList<Row> rows)
    {
        Source = source;
        Columns = columns;
        Rows = rows;
    }

    public string Source { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<Row> Rows { get; }

    public bool Has(string column) => Columns.Contains(column);

    /// <param name="required">Numeric columns every file must have.</param>
    /// <param name="optional">Numeric columns read when present.</param>
    /// <param name="text">Text columns read when present (e.g. dataset).</param>
    /// <param name="integers">Columns that must hold whole numbers ≥ 1 (layers, dim).</param>
    public static LawCsv Read(string path, string[] required, string[] optional, string[] text, string[] integers)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.");
        var header = $"a header line with columns {string.Join(",", required)}" + (optional.Length + text.Length > 0 ? $" (optionally {string.Join(",", text.Concat(optional))})" : "");
        string[]? columns = null;
        var rows = new List<Row>();
        long line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            var trimmed = raw.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            var fields = trimmed.Split(',').Select(f => f.Trim()).ToArray();
            if (columns is null)
            {
                columns = fields.Select(f => f.ToLowerInvariant()).ToArray();
                var missing = required.Where(c => !columns.Contains(c)).ToList();
                if (missing.Count > 0) throw new DataFormatException(path, line, $"{header}; missing {string.Join(", ", missing)}", raw);
                continue;
            }
            if (fields.Length != columns.Length)
                throw new DataFormatException(path, line, $"{columns.Length} comma-separated fields ({string.Join(",", columns)}), got {fields.Length}", raw);
            var numbers = new Dictionary<string, double>();
            var texts = new Dictionary<string, string>();
            for (var i = 0; i < columns.Length; i++)
            {
                var column = columns[i];
                if (text.Contains(column))
                {
                    if (fields[i].Length == 0) throw new DataFormatException(path, line, $"a non-empty '{column}'", raw);
                    texts[column] = fields[i];
                    continue;
                }
                if (!required.Contains(column) && !optional.Contains(column)) continue;
                if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw new DataFormatException(path, line, $"a finite number in column '{column}'" + (column is "value" or "loss" ? " (a failed run? leave its line out)" : ""), raw);
                if (integers.Contains(column) && (value < 1 || value != Math.Floor(value) || value > int.MaxValue))
                    throw new DataFormatException(path, line, $"a whole number ≥ 1 in column '{column}'", raw);
                numbers[column] = value;
            }
            rows.Add(new Row(line, numbers, texts));
        }
        if (columns is null) throw new DataFormatException(path, Math.Max(1, line), header, "");
        if (rows.Count == 0) throw new DataFormatException(path, line + 1, "at least one data line after the header", "");
        return new LawCsv(path, columns, rows);
    }
}
