using System.Globalization;
using PLaw.Entropy;

namespace PLaw.Web.Components.Datasets;

/// <summary>
/// What the dataset page shows, read from its query string (<c>?maxLen=…&amp;m=…&amp;r=…</c>). A value that is not a whole
/// number or lies outside its range is ignored, and <see cref="Notes"/> says what was wrong and what is shown instead,
/// so a mistyped or edited link never fails the page.
/// </summary>
public sealed record DatasetView(int MaxLen, int M, int R, IReadOnlyList<string> Notes)
{
    /// <summary>The chart length shown when none is given (P-Law's middle L).</summary>
    public const int DefaultMaxLen = 50;

    /// <summary>Longest L the page measures: far beyond any sequence-recommendation window, small enough to compute.</summary>
    public const int LargestMaxLen = 10_000;

    public const int SmallestM = 1, LargestM = 8, SmallestR = 0, LargestR = 1000;

    public static DatasetView Parse(string? maxLen, string? m, string? r)
    {
        var notes = new List<string>();
        var l = Read("maxLen", "L", maxLen, DefaultMaxLen, 1, LargestMaxLen, notes);
        var mm = Read("m", "ApEn m", m, EntropyTableOptions.Default.M, SmallestM, LargestM, notes);
        var rr = Read("r", "ApEn r", r, EntropyTableOptions.Default.R, SmallestR, LargestR, notes);
        return new DatasetView(l, mm, rr, notes);
    }

    private static int Read(string parameter, string shown, string? text, int fallback, int min, int max, List<string> notes)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        var value = text.Trim();
        var display = value.Length > 40 ? value[..40] + "…" : value;
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            notes.Add($"Ignored {parameter}={display}: not a whole number. Showing {shown} = {fallback}.");
            return fallback;
        }
        if (parsed < min || parsed > max)
        {
            notes.Add($"Ignored {parameter}={display}: {shown} must be from {min:N0} to {max:N0}. Showing {shown} = {fallback}.");
            return fallback;
        }
        return (int)parsed;
    }
}
