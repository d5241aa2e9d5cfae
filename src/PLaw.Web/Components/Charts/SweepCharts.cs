using System.Globalization;
using PLaw.Laws.EntropySweep;

namespace PLaw.Web.Components.Charts;

/// <summary>ECharts options for the entropy-sweep page: the fitted data term against the known entropy rate, and each proxy's estimate.</summary>
public static class SweepCharts
{
    private static object Grid() => new { left = 8, right = 24, top = 40, bottom = 8, outerBoundsMode = "same", outerBoundsContain = "all" };

    private static object RateAxis(IEnumerable<double> rates)
    {
        var list = rates.ToList();
        return new
        {
            type = "value", name = "known entropy rate (bits per item)", nameLocation = "middle", nameGap = 30,
            min = Math.Floor(list.Min() - 0.5), max = Math.Ceiling(list.Max() + 0.5),
        };
    }

    /// <summary>
    /// Per dataset: D fitted on its own runs (shared terms held at the joint fit) and the joint law's D = c·tokens/h, against the
    /// known rate h. When the data term tracks the entropy rate the points sit on the line.
    /// </summary>
    public static object DataTerm(EntropySweepReport report)
    {
        var rows = report.Datasets.Where(d => d.FittedD is > 0).OrderBy(d => d.TrueRateBits).ToList();
        var law = report.Datasets.Where(d => d.JointD is > 0).OrderBy(d => d.TrueRateBits).ToList();
        return new
        {
            grid = Grid(),
            legend = new { top = 0 },
            tooltip = new { trigger = "item" },
            xAxis = RateAxis(report.Datasets.Select(d => d.TrueRateBits)),
            yAxis = new { type = "log", logBase = 2, name = "data parameter D (log scale)", nameLocation = "middle", nameGap = 48 },
            series = new object[]
            {
                new
                {
                    type = "scatter", name = "D fitted per dataset", symbolSize = 12,
                    data = rows.Select(d => new[] { d.TrueRateBits, d.FittedD!.Value }).ToArray(),
                },
                new
                {
                    type = "line", name = "law: D = c · tokens / true rate", lineStyle = new { type = "dashed" },
                    data = law.Select(d => new[] { d.TrueRateBits, d.JointD!.Value }).ToArray(),
                },
            },
        };
    }

    /// <summary>Each proxy's estimate of the rate (bits) against the known rate; the diagonal is a perfect estimate.</summary>
    public static object Proxies(EntropySweepReport report)
    {
        var rates = report.Datasets.Where(d => d.Runs > 0).Select(d => d.TrueRateBits).ToList();
        var lo = Math.Floor(rates.Min() - 0.5);
        var hi = Math.Ceiling(rates.Max() + 0.5);
        var series = new List<object>
        {
            new
            {
                type = "line", name = "true rate", symbol = "none", lineStyle = new { type = "dashed" },
                data = new[] { new[] { lo, lo }, new[] { hi, hi } },
            },
        };
        series.AddRange(report.Proxies.Select(p => (object)new
        {
            type = "line", name = p.Proxy, symbolSize = 8,
            data = rates.Select((h, k) => new[] { h, p.EstimatesBits[k] }).OrderBy(x => x[0]).ToArray(),
        }));
        return new
        {
            grid = Grid(),
            legend = new { top = 0, type = "scroll" },
            tooltip = new { trigger = "item" },
            xAxis = RateAxis(rates),
            yAxis = new { type = "value", name = "estimated rate (bits per item)", nameLocation = "middle", nameGap = 40, min = 0 },
            series,
        };
    }

    public static string DataTermDescription(EntropySweepReport report)
    {
        var f = CultureInfo.InvariantCulture;
        return "Fitted D by known entropy rate: " + string.Join("; ", report.Datasets.Where(d => d.FittedD is not null).OrderBy(d => d.TrueRateBits)
            .Select(d => string.Create(f, $"{d.TrueRateBits:F2} bits: D {d.FittedD:G3} (law {d.JointD:G3})"))) + ".";
    }

    public static string ProxiesDescription(EntropySweepReport report)
    {
        var f = CultureInfo.InvariantCulture;
        return string.Join("; ", report.Proxies.Select(p => string.Create(f,
            $"{p.Proxy}: {string.Join(", ", p.EstimatesBits.Select(e => e.ToString("F2", f)))} bits, mean miss {p.MeanAbsRelativeMiss:P0}"))) + ".";
    }
}
