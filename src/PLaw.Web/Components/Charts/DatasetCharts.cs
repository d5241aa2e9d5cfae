using PLaw.Data.Profiles;

namespace PLaw.Web.Components.Charts;

/// <summary>ECharts options for the dataset page; plain data in, option objects out.</summary>
public static class DatasetCharts
{
    public static object Lengths(DatasetProfile profile) => new
    {
        grid = new { left = 56, right = 16, top = 16, bottom = 48 },
        tooltip = new { trigger = "axis" },
        xAxis = new
        {
            type = "category",
            name = "items per user",
            nameLocation = "middle",
            nameGap = 30,
            data = profile.Lengths.Select(b => b.From == b.To ? $"{b.From}" : $"{b.From}–{b.To}").ToArray(),
        },
        yAxis = new { type = "value", name = "users" },
        series = new[] { new { type = "bar", name = "users", data = profile.Lengths.Select(b => b.Users).ToArray(), itemStyle = new { color = "#3b6ea5" } } },
    };

    public static object Popularity(DatasetProfile profile) => new
    {
        grid = new { left = 64, right = 16, top = 16, bottom = 48 },
        tooltip = new { trigger = "axis" },
        xAxis = new { type = "log", name = "popularity rank", nameLocation = "middle", nameGap = 30, min = 1 },
        yAxis = new { type = "log", name = "interactions", min = 1 },
        series = new[]
        {
            new
            {
                type = "line", name = "interactions", showSymbol = false,
                data = profile.Popularity.Select(p => new long[] { p.Rank, p.Count }).ToArray(),
                lineStyle = new { color = "#c0504d" },
            },
        },
    };
}
