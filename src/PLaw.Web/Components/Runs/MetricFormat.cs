using System.Globalization;

namespace PLaw.Web.Components.Runs;

/// <summary>How the run and compare pages print a metric value: counts ("users") as whole numbers, rates to four places.</summary>
public static class MetricFormat
{
    /// <summary>Metrics that count something; they are whole numbers whatever their value.</summary>
    private static readonly HashSet<string> Counts = new(StringComparer.OrdinalIgnoreCase) { "users" };

    public static string Format(string name, double value)
    {
        if (!double.IsFinite(value)) return "–";
        var integral = Math.Abs(value - Math.Round(value)) < 1e-9;
        // A rate of exactly 0 or 1 still reads as a rate (1.0000); a count, or any whole number above 1, as an integer.
        if (Counts.Contains(name) || (integral && Math.Abs(value) > 1))
            return value.ToString("N0", CultureInfo.InvariantCulture);
        return value.ToString("F4", CultureInfo.InvariantCulture);
    }

    /// <summary>HR@1, HR@5, HR@10 … in numeric order of K, then the metrics without a cut-off.</summary>
    public static (string, int) Order(string name) =>
        name.Split('@') is [var metric, var k] && int.TryParse(k, out var cut) ? (metric, cut) : ("~" + name, 0);
}
