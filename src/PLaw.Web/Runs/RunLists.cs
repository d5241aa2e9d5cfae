using System.Globalization;

namespace PLaw.Web.Runs;

/// <summary>Parses the comma-separated lists of the study form and of shared links ("2,4,8").</summary>
public static class RunLists
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

    public static string Join<T>(IEnumerable<T> values) => string.Join(",", values.Select(v => v!.ToString()!.ToLowerInvariant()));
}
