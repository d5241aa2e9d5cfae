using System.Globalization;

namespace PLaw.Web.Laws;

/// <summary>
/// The law pages read every query value as text and parse it here, so a malformed link (<c>value=abc</c>, <c>study=x</c>) can
/// neither fail the request nor the circuit. A value that cannot be used is dropped with a note saying what was wrong and
/// what the page used instead; the pages show the notes above the view.
/// </summary>
public sealed class QueryNotes
{
    private readonly List<QueryNote> notes = [];

    public IReadOnlyList<QueryNote> All => notes;

    public void Add(string key, string text, string problem, string usedInstead) =>
        notes.Add(new QueryNote(key, $"{key}={text}: {problem}; {usedInstead}."));

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; empty → null; otherwise null and a note.</summary>
    public int? Int(string key, string? text, int min, int max, string usedInstead)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Add(key, text, "not a whole number", usedInstead);
            return null;
        }
        if (value < min || value > max)
        {
            Add(key, text, max == int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}", usedInstead);
            return null;
        }
        return value;
    }

    /// <summary>A finite number (1e6 and 1000000 alike) greater than <paramref name="above"/>; empty → null; otherwise null and a note.</summary>
    public double? Number(string key, string? text, double above, string usedInstead)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Add(key, text, "not a number", usedInstead);
            return null;
        }
        if (value <= above)
        {
            Add(key, text, $"must be greater than {above.ToString(CultureInfo.InvariantCulture)}", usedInstead);
            return null;
        }
        return value;
    }

    /// <summary>One of <paramref name="allowed"/> (compared case-insensitively, returned as listed); empty → null; otherwise null and a note.</summary>
    public string? OneOf(string key, string? text, IReadOnlyCollection<string> allowed, string usedInstead, Func<string, string>? show = null,
        string? what = null)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = allowed.FirstOrDefault(a => string.Equals(a, text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var shown = allowed.Select(a => show is null ? a : $"{a} ({show(a)})").ToList();
        Add(key, text, shown.Count == 0 ? "there is nothing to choose from here"
            : $"not one of {string.Join(", ", shown)}{(what is null ? "" : $" ({what})")}", usedInstead);
        return null;
    }
}

/// <summary>One ignored query value: its key and the sentence shown for it.</summary>
public sealed record QueryNote(string Key, string Text);
