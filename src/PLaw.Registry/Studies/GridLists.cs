using System.Globalization;
using PLaw.Engine.Models;

namespace PLaw.Registry.Studies;

/// <summary>Parses a study grid's comma-separated lists ("2,4,8", "sasrec,hstu"), for the study form and <c>plaw study</c>.</summary>
public static class GridLists
{
    public static bool TryParseInts(string? text, out int[] values, out string? error)
    {
        values = [];
        error = null;
        var parts = (text ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                error = $"'{part}' is not a positive whole number.";
                return false;
            }
            parsed.Add(v);
        }
        values = parsed.Distinct().ToArray();
        return true;
    }

    public static bool TryParseEnums<T>(string? text, out T[] values, out string? error) where T : struct, Enum
    {
        values = [];
        error = null;
        var parsed = new List<T>();
        foreach (var part in (text ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<T>(part, ignoreCase: true, out var v) || !Enum.IsDefined(v))
            {
                error = $"'{part}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.";
                return false;
            }
            parsed.Add(v);
        }
        values = parsed.Distinct().ToArray();
        return true;
    }

    /// <summary>
    /// HSTU ablation sets, e.g. "none, rab, silu, gate, rab+gate": entries apart by commas or spaces, the components of one
    /// set joined by '+'; each set comes back as its canonical <see cref="PLaw.Engine.Training.RunOptions.Ablate"/> text, "none"
    /// for full HSTU.
    /// </summary>
    public static bool TryParseAblations(string? text, out string[] values, out string? error)
    {
        values = [];
        error = null;
        var parsed = new List<string>();
        foreach (var part in (text ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var set = part.Replace('+', ',');
            if (part.Split('+').Any(c => c.Trim().Length == 0) || HstuAblations.Unknown(set) is { Count: > 0 })
            {
                error = $"'{part}' is not an ablation set: use {HstuAblations.None} or {string.Join(", ", HstuAblations.Names)}, " +
                        "joined by + for several (e.g. rab+gate).";
                return false;
            }
            parsed.Add(HstuAblations.Normalize(set) ?? HstuAblations.None);
        }
        values = parsed.Distinct().ToArray();
        return true;
    }

    public static string[] Ablations(string? text, string flag) =>
        TryParseAblations(text, out var values, out var error) ? values : throw new ArgumentException($"{flag}: {error}");

    /// <summary>The list, or an <see cref="ArgumentException"/> that names <paramref name="flag"/>.</summary>
    public static int[] Ints(string? text, string flag) =>
        TryParseInts(text, out var values, out var error) ? values : throw new ArgumentException($"{flag}: {error}");

    public static T[] Enums<T>(string? text, string flag) where T : struct, Enum =>
        TryParseEnums<T>(text, out var values, out var error) ? values : throw new ArgumentException($"{flag}: {error}");
}
