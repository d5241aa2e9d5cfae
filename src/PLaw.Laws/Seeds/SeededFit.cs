using PLaw.Laws.Fitting;
using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Seeds;

/// <summary>A law fitted to seed means (<see cref="SeedData"/>): the fit, and the configurations with their mean, SD and n.</summary>
public sealed record SeededFit(LawFit Fit, SeedData Seeds)
{
    public bool Weighted => Seeds.Weighted;
}

/// <summary>A performance law fitted to seed means: the <see cref="PerformanceFit"/> every caller uses, and its seeds.</summary>
public sealed record SeededPerformanceFit(PerformanceFit Fit, SeedData Seeds)
{
    public bool Weighted => Seeds.Weighted;
}

/// <summary>
/// Seed-aware fits: runs are grouped by configuration and the law is fitted to the configuration means weighted by 1/SE²
/// (<see cref="SeedData"/>); without repeated configurations the fit is the plain one on the runs.
/// </summary>
public static class SeedFit
{
    public static SeededFit Fit(ILawModel model, FitData raw, FitOptions? options = null)
    {
        LawFitter.Validate(model, raw);   // name a bad run by its row before grouping hides it in a mean
        var seeds = SeedData.Of(raw);
        return new SeededFit(LawFitter.Fit(model, seeds.Means, options), seeds);
    }

    /// <summary>P-Law performance law P(n, d) = w1·φ(n; w3) + w2·φ(d; w4) + φ(D; w5) + b on the means of seeds over (layers, dim).</summary>
    public static SeededPerformanceFit Performance(IReadOnlyList<PerformancePoint> points, FitOptions? options = null)
    {
        var seeded = Fit(PerformanceLawModel.Instance, PerformanceFit.ToData(points), options);
        return new SeededPerformanceFit(new PerformanceFit(seeded.Fit), seeded.Seeds);
    }

    /// <summary>LSRM eq.: L(N) = E + (N₀/N)^α on the means of seeds over non-embedding parameters N.</summary>
    public static SeededFit Lsrm(IReadOnlyList<ScalingPoint> points, FitOptions? options = null) =>
        Fit(LsrmModel.Instance, FitData.FromRows(points.Select(p => new[] { p.Params }).ToList(), points.Select(p => p.Loss).ToList()), options);
}
