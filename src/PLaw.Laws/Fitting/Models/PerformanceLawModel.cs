using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>
/// <see cref="PerformanceLaw"/> for the fitter: inputs (layers n, dim d), parameters w1, w2, w3, w4, w5 free, D &gt; 0, b free
/// (the bounds of the authors' <c>curve_fit</c>). Starts: a grid of (w3, w4); for each, w1, w2 and b by linear least squares
/// with D = 10, w5 = 0.1 (on one dataset only φ(D; w5) + b is determined).
/// </summary>
public sealed class PerformanceLawModel : ILawModel
{
    public static readonly PerformanceLawModel Instance = new();
    internal static readonly double[] ExponentGrid = [-1.0, -0.4, -0.15, 0.15, 0.5];
    internal const double StartD = 10, StartW5 = 0.1;

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Free("w1"), ParameterSpec.Free("w2"), ParameterSpec.Free("w3"), ParameterSpec.Free("w4"), ParameterSpec.Free("w5"),
        ParameterSpec.Above("D", 0), ParameterSpec.Free("b"),
    ];

    public IReadOnlyList<string> InputNames { get; } = ["layers", "dim"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => PerformanceLaw.Value(x[0], x[1], p[0], p[1], p[2], p[3], p[4], p[5], p[6]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        // One log and one exp per term: φ = −u/2 − w·ln x, ∂φ/∂w = ln x·(u/2 − 1), ∂φ/∂x = (w/x)(u/2 − 1), u = x^(−w).
        double logN = Math.Log(x[0]), logD = Math.Log(x[1]), logData = Math.Log(p[5]);
        double uN = Math.Exp(-p[2] * logN), uD = Math.Exp(-p[3] * logD), uData = Math.Exp(-p[4] * logData);
        dp[0] = -0.5 * uN - p[2] * logN;
        dp[1] = -0.5 * uD - p[3] * logD;
        dp[2] = p[0] * logN * (0.5 * uN - 1);
        dp[3] = p[1] * logD * (0.5 * uD - 1);
        dp[4] = logData * (0.5 * uData - 1);
        dp[5] = p[4] / p[5] * (0.5 * uData - 1);
        dp[6] = 1;
    }

    public string? InvalidInput(ReadOnlySpan<double> x) =>
        x[0] < 1 ? "layers must be at least 1." : x[1] <= 0 ? "dim must be positive." : null;

    public IEnumerable<double[]> Starts(FitData data)
    {
        var offset = PerformanceLaw.Term(StartD, StartW5);
        foreach (var w3 in ExponentGrid)
        foreach (var w4 in ExponentGrid)
        {
            // w1, w2, b by least squares; when the grid has one depth (or one width) its term is a constant, collinear with
            // b, so that weight starts at 0 and the rest is solved without it.
            foreach (var (useDepth, useWidth) in new[] { (true, true), (true, false), (false, true), (false, false) })
            {
                var columns = (useDepth ? 1 : 0) + (useWidth ? 1 : 0) + 1;
                var design = new double[data.Count, columns];
                for (var i = 0; i < data.Count; i++)
                {
                    var x = data.Input(i);
                    var c = 0;
                    if (useDepth) design[i, c++] = PerformanceLaw.Term(x[0], w3);
                    if (useWidth) design[i, c++] = PerformanceLaw.Term(x[1], w4);
                    design[i, c] = 1;
                }
                if (LeastSquares.Solve(design, data.Values) is not { } beta) continue;
                var w1 = useDepth ? beta[0] : 0;
                var w2 = useWidth ? beta[useDepth ? 1 : 0] : 0;
                yield return [w1, w2, w3, w4, StartW5, StartD, beta[^1] - offset];
                break;
            }
        }
    }
}
