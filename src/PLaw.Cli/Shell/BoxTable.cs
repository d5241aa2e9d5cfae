using System.Globalization;
using System.Text;

namespace PLaw.Cli.Shell;

/// <summary>
/// A table of right-aligned one-line cells in Spectre's rounded border, laid out as plain text: each column as wide as its
/// widest cell, one space of padding either side. It draws what Spectre's <c>Table</c> draws for such cells without
/// Spectre's layout engine, whose first use in a process costs 25–45 ms of compilation, a tenth of a <c>plaw entropy</c>
/// (bench/results/entropy-cli-2026-12-01.md). A table that would not fit is left to Spectre (it wraps cells).
/// </summary>
internal static class BoxTable
{
    /// <summary>The table's lines, or null when it is wider than <paramref name="maxWidth"/> or a cell is not one line of
    /// ordinary characters (one terminal column each).</summary>
    public static string? TryRender(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, int maxWidth)
    {
        var widths = new int[headers.Count];
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = headers[c].Length;
            foreach (var row in rows) widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var total = 1;
        foreach (var w in widths) total += w + 3;
        if (total > maxWidth || !Ordinary(headers) || !rows.All(Ordinary)) return null;

        var text = new StringBuilder(total * (rows.Count + 4) * 2);
        Rule(text, widths, '╭', '┬', '╮');
        Cells(text, widths, headers);
        Rule(text, widths, '├', '┼', '┤');
        foreach (var row in rows) Cells(text, widths, row);
        Rule(text, widths, '╰', '┴', '╯');
        return text.ToString();
    }

    private static void Rule(StringBuilder text, int[] widths, char left, char between, char right)
    {
        text.Append(left);
        for (var c = 0; c < widths.Length; c++)
            text.Append('─', widths[c] + 2).Append(c + 1 < widths.Length ? between : right);
        text.Append('\n');
    }

    private static void Cells(StringBuilder text, int[] widths, IReadOnlyList<string> cells)
    {
        text.Append('│');
        for (var c = 0; c < widths.Length; c++)
            text.Append(' ', widths[c] - cells[c].Length + 1).Append(cells[c]).Append(" │");
        text.Append('\n');
    }

    /// <summary>Nothing drawn in zero or two columns (control and combining characters, East Asian scripts, emoji), so a
    /// cell's width is its length.</summary>
    private static bool Ordinary(IReadOnlyList<string> cells)
    {
        foreach (var cell in cells)
            foreach (var ch in cell)
                if (char.IsControl(ch) || char.IsSurrogate(ch) || ch is >= '\u1100' and <= '\u115F' || ch >= '\u2E80' ||
                    CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
                    return false;
        return true;
    }
}
