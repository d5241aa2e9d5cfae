using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary><see cref="LossMetricLink"/> for the fitter: input loss L, parameters a, b (P = a − b·L); start by ordinary least squares.</summary>
public sealed class LinearLinkModel : ILawModel
{
    public static readonly LinearLinkModel Instance = new();

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Free("a"), ParameterSpec.Free("b")];

    public IReadOnlyList<string> InputNames { get; } = ["loss"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => LossMetricLink.Metric(x[0], p[0], p[1]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        dp[0] = 1;
        dp[1] = -x[0];
    }

    public string? InvalidInput(ReadOnlySpan<double> x) => null;

    public IEnumerable<double[]> Starts(FitData data)
    {
        var design = new double[data.Count, 2];
        for (var i = 0; i < data.Count; i++)
        {
            design[i, 0] = 1;
            design[i, 1] = -data.Input(i)[0];
        }
        if (LeastSquares.Solve(design, data.Values) is { } beta) yield return beta;
        yield return [data.Values.Average(), 0];
    }
}
