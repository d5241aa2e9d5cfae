using System.Globalization;
using System.Text;
using PLaw.Entropy;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PLaw.Cli.Shell;

/// <summary>
/// The entropy table as a terminal table. By default the measures that matter most, under short headers explained in a
/// legend below, within <see cref="CompactWidth"/> columns; <c>--wide</c> gives every column under its full header.
/// When most users never repeat an item, the note the dashboard shows follows.
/// </summary>
internal static class EntropyTableView
{
    /// <summary>The most the default table, legend and note take, so they fit a standard terminal.</summary>
    public const int CompactWidth = 100;

    private sealed record Column(string Header, Func<EntropyRow, string> Cell, string? Legend = null);

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly Column[] Compact =
    [
        new("L", r => r.MaxLen.ToString(Invariant), "max length (each user's newest L items)"),
        new("users", r => r.Users.ToString("N0", Invariant)),
        new("tokens", r => r.Tokens.ToString("N0", Invariant)),
        new("ApEn", r => r.Apen.ToString("F4", Invariant), "approximate entropy, mean per user"),
        new("real H", r => r.RealEntropy.ToString("F4", Invariant), "real (Lempel–Ziv) entropy, mean per user"),
        new("D′", r => r.TokensPerApen.ToString("N0", Invariant), "tokens / ApEn, P-Law's data size"),
        new("distinct", r => r.AllDistinctShare.ToString("P0", Invariant), "share of users who never repeat an item"),
        new("ch. H", r => r.ChunkedShannon.ToString("F3", Invariant), "Shannon entropy of the concatenated windows in chunks"),
        new("ch. cr", r => r.ChunkedCompressionRatio.ToString("F3", Invariant), "their compression ratio"),
        new("H(n|c)", r => $"{r.ConditionalEntropy.ToString("F3", Invariant)}+{r.ConditionalEntropyBias.ToString("F3", Invariant)}",
            "H(next | current) in bits, plug-in + Miller–Madow term"),
    ];

    private static readonly Column[] Wide =
    [
        new("L", r => r.MaxLen.ToString(Invariant)),
        new("users", r => r.Users.ToString("N0", Invariant)),
        new("items", r => r.Items.ToString("N0", Invariant)),
        new("tokens", r => r.Tokens.ToString("N0", Invariant)),
        new("mean len", r => r.MeanLength.ToString("F1", Invariant)),
        new("ApEn", r => r.Apen.ToString("F4", Invariant)),
        new("real H", r => r.RealEntropy.ToString("F4", Invariant)),
        new("real H (ref)", r => r.RealEntropyReference.ToString("F4", Invariant)),
        new("Shannon", r => r.Shannon.ToString("F3", Invariant)),
        new("compr.", r => r.CompressionRatio.ToString("F3", Invariant)),
        new("tokens/ApEn", r => r.TokensPerApen.ToString("N0", Invariant)),
        new("all-distinct", r => r.AllDistinctShare.ToString("P1", Invariant)),
        new("chunk Shannon", r => r.ChunkedShannon.ToString("F3", Invariant)),
        new("chunk compr.", r => r.ChunkedCompressionRatio.ToString("F3", Invariant)),
        new("H(next|cur)", r => $"{r.ConditionalEntropy.ToString("F3", Invariant)} (+{r.ConditionalEntropyBias.ToString("F3", Invariant)})"),
    ];

    /// <summary>
    /// Writes the table, its legend (unless wide) and the note to standard output: as plain lines (<see cref="BoxTable"/>)
    /// when the table fits without wrapping a cell, as it does for any ordinary dataset, else through Spectre's table
    /// (<see cref="CliProgress.Out"/>), which wraps cells.
    /// </summary>
    public static void Write(IReadOnlyList<EntropyRow> rows, bool wide = false)
    {
        var columns = wide ? Wide : Compact;
        var headers = columns.Select(c => c.Header).ToArray();
        var cells = rows.Select(row => columns.Select(c => c.Cell(row)).ToArray()).ToArray();
        string[] legend = wide ? [] : Wrap(Legend(columns)).ToArray();
        string[] note = Note(rows, wide) is { } text ? Wrap(text).ToArray() : [];
        var width = wide ? CliProgress.OutWidth : Math.Min(CompactWidth, CliProgress.OutWidth);
        if (BoxTable.TryRender(headers, cells, width) is { } table)
        {
            var colours = CliProgress.OutColours;
            var output = new StringBuilder(table);
            foreach (var line in legend) AppendLine(output, line, colours ? "\u001b[2m" : null); // dim
            foreach (var line in note) AppendLine(output, line, colours ? "\u001b[93m" : null); // yellow
            Console.Out.Write(output.ToString());
            return;
        }

        var spectre = new Table().Border(TableBorder.Rounded);
        // Larger datasets (longer numbers) wrap inside their cells rather than widen the table past a standard terminal.
        if (!wide) spectre.Width = CompactWidth;
        foreach (var header in headers)
            spectre.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        foreach (var row in cells)
            spectre.AddRow(row.Select(Markup.Escape).ToArray());
        var parts = new List<IRenderable> { spectre };
        parts.AddRange(legend.Select(line => new Text(line, new Style(decoration: Decoration.Dim))));
        parts.AddRange(note.Select(line => new Text(line, new Style(Color.Yellow))));
        CliProgress.Out.Write(new Rows(parts));
    }

    private static void AppendLine(StringBuilder output, string line, string? style)
    {
        if (style is null) output.Append(line).Append('\n');
        else output.Append(style).Append(line).Append("\u001b[0m\n");
    }

    private static string Legend(Column[] columns) =>
        string.Join("; ", columns.Where(c => c.Legend is not null).Select(c => $"{c.Header}: {c.Legend}")) +
        ". --wide shows every column (items, mean length, Shannon, compression, …).";

    /// <summary>When most users never repeat an item, how to read the table; else null.</summary>
    private static string? Note(IReadOnlyList<EntropyRow> rows, bool wide)
    {
        var distinct = 0.0;
        foreach (var row in rows) distinct = Math.Max(distinct, row.AllDistinctShare);
        if (distinct <= 0.5) return null;
        return $"{distinct.ToString("P0", Invariant)} of users never repeat an item: per-user ApEn and real entropy depend on length " +
               $"alone here; read the chunked measures and H(next|cur) (plug-in, biased low by about the " +
               $"{(wide ? "bracketed" : "added")} Miller–Madow term).";
    }

    /// <summary>Word-wrapped lines of at most <see cref="CompactWidth"/> characters, so no line outgrows the table.</summary>
    internal static IEnumerable<string> Wrap(string text, int width = CompactWidth)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
