using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>
/// <see cref="JointPerformanceLaw"/> for the fitter: inputs (layers, dim, quality q_k of the point's dataset), parameters
/// w1…w5 and b free, c &gt; 0. Starts: grids of (w3, w4), w5 and c·median(q) ∈ {1, 10, 100, 1000}; w1, w2, b by linear
/// least squares for each.
/// </summary>
public sealed class JointPerformanceLawModel : ILawModel
{
    public static readonly JointPerformanceLawModel Instance = new();
    private static readonly double[] W5Grid = [-0.5, -0.1, 0.1, 0.5];
    private static readonly double[] DataScales = [1, 10, 100, 1000];

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Free("w1"), ParameterSpec.Free("w2"), ParameterSpec.Free("w3"), ParameterSpec.Free("w4"), ParameterSpec.Free("w5"),
        ParameterSpec.Above("c", 0), ParameterSpec.Free("b"),
    ];

    public IReadOnlyList<string> InputNames { get; } = ["layers", "dim", "quality"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) =>
        JointPerformanceLaw.Value(x[0], x[1], x[2], p[0], p[1], p[2], p[3], p[4], p[5], p[6]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        double n = x[0], d = x[1], q = x[2], dataSize = p[5] * q;
        dp[0] = PerformanceLaw.Term(n, p[2]);
        dp[1] = PerformanceLaw.Term(d, p[3]);
        dp[2] = p[0] * PerformanceLaw.TermByExponent(n, p[2]);
        dp[3] = p[1] * PerformanceLaw.TermByExponent(d, p[3]);
        dp[4] = PerformanceLaw.TermByExponent(dataSize, p[4]);
        dp[5] = PerformanceLaw.TermByArgument(dataSize, p[4]) * q;
        dp[6] = 1;
    }

    public string? InvalidInput(ReadOnlySpan<double> x) =>
        x[0] < 1 ? "layers must be at least 1." : x[1] <= 0 ? "dim must be positive." : x[2] <= 0 ? "the dataset's quality size must be positive." : null;

    public IEnumerable<double[]> Starts(FitData data)
    {
        var qualities = Enumerable.Range(0, data.Count).Select(i => data.Input(i)[2]).Order().ToArray();
        var median = qualities[qualities.Length / 2];
        foreach (var w3 in PerformanceLawModel.ExponentGrid)
        foreach (var w4 in PerformanceLawModel.ExponentGrid)
        foreach (var w5 in W5Grid)
        foreach (var scale in DataScales)
        {
            var c = scale / median;
            var design = new double[data.Count, 3];
            var target = new double[data.Count];
            for (var i = 0; i < data.Count; i++)
            {
                var x = data.Input(i);
                design[i, 0] = PerformanceLaw.Term(x[0], w3);
                design[i, 1] = PerformanceLaw.Term(x[1], w4);
                design[i, 2] = 1;
                target[i] = data.Values[i] - PerformanceLaw.Term(c * x[2], w5);
            }
            if (LeastSquares.Solve(design, target) is { } beta)
                yield return [beta[0], beta[1], w3, w4, w5, c, beta[2]];
        }
    }
}
