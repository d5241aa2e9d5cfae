using System.Globalization;
using PLaw.Data.Profiles;

namespace PLaw.Web.Components.Charts;

/// <summary>
/// ECharts options for the dataset page; plain data in, option objects out. Colours come from the cascaded MudBlazor palette
/// (the chart module's theme), axis names carry their units, and the grid keeps labels and names inside the chart.
/// </summary>
public static class DatasetCharts
{
    /// <summary>ECharts 6: the plotting area shrinks so tick labels and axis names stay inside the chart instead of being clipped.</summary>
    private static object Grid() => new
    {
        left = 8, right = 24, top = 16, bottom = 8,
        outerBoundsMode = "same",
        outerBoundsContain = "all",
    };

    public static object Lengths(DatasetProfile profile) => new
    {
        grid = Grid(),
        tooltip = new { trigger = "axis" },
        xAxis = new
        {
            type = "category",
            name = $"sequence length (items per user, last {profile.MaxLength.ToString("N0", CultureInfo.InvariantCulture)})",
            nameLocation = "middle",
            nameGap = 30,
            axisLabel = new { hideOverlap = true },
            data = profile.Lengths.Select(b => b.From == b.To ? $"{b.From}" : $"{b.From}–{b.To}").ToArray(),
        },
        yAxis = new { type = "value", name = "users (count)", nameLocation = "middle", nameGap = 48, minInterval = 1 },
        series = new[] { new { type = "bar", name = "users", data = profile.Lengths.Select(b => b.Users).ToArray() } },
    };

    public static object Popularity(DatasetProfile profile)
    {
        var maxRank = profile.Popularity.Count == 0 ? 1 : profile.Popularity.Max(p => p.Rank);
        var maxCount = profile.Popularity.Count == 0 ? 1 : profile.Popularity.Max(p => p.Count);
        return new
        {
            grid = Grid(),
            tooltip = new { trigger = "axis" },
            xAxis = LogAxis("popularity rank (1 = most interacted item; log scale)", maxRank, nameGap: 30),
            yAxis = LogAxis("interactions per item (count; log scale)", maxCount, nameGap: 48),
            series = new[]
            {
                new
                {
                    type = "line", name = "interactions", showSymbol = false,
                    data = profile.Popularity.Select(p => new long[] { p.Rank, p.Count }).ToArray(),
                },
            },
        };
    }

    /// <summary>
    /// The log base for an axis from 1 to <paramref name="max"/>: base 10 once there are at least three decades to label
    /// (1, 10, 100, 1000 …), base 2 below that, so a short range gets 1, 2, 4, 8 … instead of only 1 and 10.
    /// </summary>
    public static int LogBase(double max) => max >= 1000 ? 10 : 2;

    private static object LogAxis(string name, double max, int nameGap) => new
    {
        type = "log",
        logBase = LogBase(max),
        name,
        nameLocation = "middle",
        nameGap,
        min = 1,
        axisLabel = new { hideOverlap = true },
        minorTick = new { show = true },
    };
}
