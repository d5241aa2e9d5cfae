using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Fitting;

/// <summary>Fits of the loss laws: LSRM over N; Kaplan and Chinchilla over (N, D).</summary>
public static class ScalingFit
{
    /// <summary>LSRM eq.: L(N) = E + (N₀/N)^α over non-embedding parameters.</summary>
    public static (LsrmParameters Parameters, LawFit Fit) Lsrm(IReadOnlyList<ScalingPoint> points, FitOptions? options = null)
    {
        var fit = LawFitter.Fit(LsrmModel.Instance, FitData.FromRows(points.Select(p => new[] { p.Params }).ToList(), points.Select(p => p.Loss).ToList()), options);
        return (new LsrmParameters(fit.Values[0], fit.Values[1], fit.Values[2]), fit);
    }

    /// <summary>Kaplan eq. (1.5) over (N, D); every point needs <see cref="ScalingPoint.Tokens"/>.</summary>
    public static (KaplanParameters Parameters, LawFit Fit) Kaplan(IReadOnlyList<ScalingPoint> points, FitOptions? options = null)
    {
        var fit = LawFitter.Fit(KaplanModel.Instance, WithTokens(points), options);
        return (new KaplanParameters(fit.Values[0], fit.Values[1], fit.Values[2], fit.Values[3]), fit);
    }

    /// <summary>Chinchilla eq. (2) over (N, D); every point needs <see cref="ScalingPoint.Tokens"/>.</summary>
    public static (ChinchillaParameters Parameters, LawFit Fit) Chinchilla(IReadOnlyList<ScalingPoint> points, FitOptions? options = null)
    {
        var fit = LawFitter.Fit(ChinchillaModel.Instance, WithTokens(points), options);
        return (new ChinchillaParameters(fit.Values[0], fit.Values[1], fit.Values[2], fit.Values[3], fit.Values[4]), fit);
    }

    /// <summary>The loss–metric link P ≈ a − b·L on one dataset.</summary>
    public static LawFit Link(IReadOnlyList<double> losses, IReadOnlyList<double> metrics) =>
        LawFitter.Fit(LinearLinkModel.Instance, FitData.FromRows(losses.Select(l => new[] { l }).ToList(), metrics));

    private static FitData WithTokens(IReadOnlyList<ScalingPoint> points)
    {
        for (var i = 0; i < points.Count; i++)
            if (points[i].Tokens is null)
                throw new LawFitException(FitFailure.InvalidInput, $"point {i + 1} (params {points[i].Params:G6}) has no tokens: the data laws need the data size of every run.");
        return FitData.FromRows(points.Select(p => new[] { p.Params, p.Tokens!.Value }).ToList(), points.Select(p => p.Loss).ToList());
    }
}
