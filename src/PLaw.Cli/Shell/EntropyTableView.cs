using PLaw.Entropy;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PLaw.Cli.Shell;

/// <summary>The entropy table as a terminal table, with the note the dashboard shows when users never repeat items.</summary>
internal static class EntropyTableView
{
    public static IRenderable Render(IReadOnlyList<EntropyRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in new[] { "L", "users", "items", "tokens", "mean len", "ApEn", "real H", "real H (ref)", "Shannon", "compr.",
                     "tokens/ApEn", "all-distinct", "chunk Shannon", "chunk compr.", "H(next|cur)" })
            table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var row in rows)
            table.AddRow(row.MaxLen.ToString(), row.Users.ToString("N0"), row.Items.ToString("N0"), row.Tokens.ToString("N0"),
                row.MeanLength.ToString("F1"), row.Apen.ToString("F4"), row.RealEntropy.ToString("F4"), row.RealEntropyReference.ToString("F4"),
                row.Shannon.ToString("F3"), row.CompressionRatio.ToString("F3"), row.TokensPerApen.ToString("N0"), row.AllDistinctShare.ToString("P1"),
                row.ChunkedShannon.ToString("F3"), row.ChunkedCompressionRatio.ToString("F3"),
                $"{row.ConditionalEntropy:F3} (+{row.ConditionalEntropyBias:F3})");
        var distinct = rows.Count > 0 ? rows.Max(r => r.AllDistinctShare) : 0;
        if (distinct <= 0.5) return table;
        var note = new Markup($"[yellow]{distinct:P0} of users never repeat an item: per-user ApEn and real entropy depend on length alone here; " +
                              "read the chunked measures and H(next|cur) (plug-in, biased low by about the bracketed Miller–Madow term).[/]");
        return new Rows(table, note);
    }
}
