using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Fitting;

/// <summary>A fitted <see cref="PerformanceLaw"/> (one metric, one dataset).</summary>
public sealed record PerformanceFit(LawFit Result)
{
    public PerformanceLawParameters Parameters { get; } = PerformanceLawParameters.FromArray(Result.Values);

    public double Predict(double layers, double dim) => Parameters.Value(layers, dim);

    /// <summary>Fits the performance law to runs (P-Law eq.). Throws <see cref="LawFitException"/> for unusable points.</summary>
    public static PerformanceFit Fit(IReadOnlyList<PerformancePoint> points, FitOptions? options = null) =>
        new(LawFitter.Fit(PerformanceLawModel.Instance, ToData(points), options));

    public static FitData ToData(IReadOnlyList<PerformancePoint> points) =>
        FitData.FromRows(points.Select(p => new double[] { p.Layers, p.Dim }).ToList(), points.Select(p => p.Value).ToList());
}
