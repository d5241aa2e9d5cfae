using System.Globalization;
using PLaw.Engine.Challenges.Study;

namespace PLaw.Web.Components.Charts;

/// <summary>One model shape of a family (a size) with its value at each setting of a challenge metric, for a chart and its table.</summary>
public sealed record ShapeRow(string Family, SizePoint Point, double?[] Values)
{
    public string Label => $"{Family} {ParameterCount.Format(Point.Size)} ({Point.Layers}×{Point.Dim})";
}

/// <summary>
/// ECharts options for the study view of the challenges (as LSRM §V's figures show them): grouped bars per setting by size,
/// curves per setting by size, and degradation against size.
/// </summary>
public static class StudyChallengeCharts
{
    /// <summary>
    /// A challenge metric as a table: its settings (columns, in the measure order) and one row per family and size (ordinal
    /// family, then size). <paramref name="family"/> null: every family.
    /// </summary>
    public static (IReadOnlyList<string> Settings, IReadOnlyList<ShapeRow> Rows) Pivot(StudyChallengeView view, string challenge, string metric, string? family)
    {
        var series = view.For(challenge, metric).Where(s => family is null || s.Family == family).ToList();
        var settings = series.Select(s => s.Measure.Setting).Distinct().ToList();
        var rows = new List<ShapeRow>();
        foreach (var f in series.Select(s => s.Family).Distinct())
        {
            var mine = series.Where(s => s.Family == f).ToList();
            foreach (var point in mine[0].Points)
                rows.Add(new ShapeRow(f, point, settings.Select(setting => mine.FirstOrDefault(s => s.Measure.Setting == setting)?.Points
                    .FirstOrDefault(p => p.Layers == point.Layers && p.Dim == point.Dim)?.Value).ToArray()));
        }
        return (settings, rows);
    }

    private static object Grid() => new { left = 72, right = 24, top = 48, bottom = 56, containLabel = false };

    private static object Legend() => new { type = "scroll", top = 0, left = 72, right = 24 };

    private static object ValueAxis(string name) => new { type = "value", name, nameLocation = "middle", nameGap = 52, scale = true, axisLabel = new { hideOverlap = true } };

    /// <summary>One bar per size in each setting (category), as LSRM's long-tail figure groups them.</summary>
    public static object GroupedBars(IReadOnlyList<string> settings, IReadOnlyList<ShapeRow> rows, string xName, string yName) => new
    {
        animation = false,
        grid = Grid(),
        tooltip = new { trigger = "axis" },
        legend = Legend(),
        xAxis = new { type = "category", name = xName, nameLocation = "middle", nameGap = 30, data = settings },
        yAxis = ValueAxis(yName),
        series = rows.Select(r => new { type = "bar", name = r.Label, data = r.Values }).ToArray(),
    };

    /// <summary>One curve per size across numeric settings (input lengths, positions): x from <paramref name="x"/>.</summary>
    public static object CurvesBySize(IReadOnlyList<string> settings, IReadOnlyList<ShapeRow> rows, Func<string, double> x, string xName, string yName,
        bool logX = false) => new
    {
        animation = false,
        grid = Grid(),
        tooltip = new { trigger = "axis" },
        legend = Legend(),
        xAxis = new { type = logX ? "log" : "value", logBase = 2, name = xName, nameLocation = "middle", nameGap = 30, scale = true },
        yAxis = ValueAxis(yName),
        series = rows.Select(r => new
        {
            type = "line", name = r.Label, showSymbol = true, symbolSize = 7,
            data = settings.Select((s, i) => r.Values[i] is { } v ? new[] { x(s), v } : null).OfType<double[]>().ToArray(),
        }).ToArray(),
    };

    /// <summary>Per setting (e.g. replace p = 0.3) of each family, the value against model size (log axis): degradation per scale.</summary>
    public static object AgainstSize(IReadOnlyList<string> settings, IReadOnlyList<ShapeRow> rows, string yName, bool percent) => new
    {
        animation = false,
        grid = Grid(),
        tooltip = new { trigger = "axis" },
        legend = Legend(),
        xAxis = new { type = "log", logBase = 10, name = "non-embedding parameters (log scale)", nameLocation = "middle", nameGap = 30, scale = true },
        yAxis = ValueAxis(yName),
        series = rows.GroupBy(r => r.Family).SelectMany(f => settings.Select((s, i) => new
        {
            type = "line", name = $"{f.Key} {s}", showSymbol = true, symbolSize = 7,
            data = f.Where(r => r.Values[i] is not null).Select(r => new[] { (double)r.Point.Size, percent ? r.Values[i]!.Value * 100 : r.Values[i]!.Value }).ToArray(),
        })).ToArray(),
    };

    /// <summary>The numeric part of a setting such as "5" or "position 3".</summary>
    public static double Number(string setting) =>
        double.Parse(setting.Split(' ')[^1], NumberStyles.Float, CultureInfo.InvariantCulture);
}
