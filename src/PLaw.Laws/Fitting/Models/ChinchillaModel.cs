using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>
/// <see cref="ChinchillaLaw"/> for the fitter: inputs (N, D); E ≥ 0, A, B, α, β &gt; 0. Starts: grids of (α, β); E, A, B by
/// linear least squares (the law is linear in them).
/// </summary>
public sealed class ChinchillaModel : ILawModel
{
    public static readonly ChinchillaModel Instance = new();
    private static readonly double[] ExponentGrid = [0.05, 0.15, 0.3, 0.5, 0.8];

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new ParameterSpec("E", 0), ParameterSpec.Above("A", 0), ParameterSpec.Above("B", 0),
        ParameterSpec.Above("alpha", 0), ParameterSpec.Above("beta", 0),
    ];

    public IReadOnlyList<string> InputNames { get; } = ["params", "tokens"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => ChinchillaLaw.Loss(x[0], x[1], p[0], p[1], p[2], p[3], p[4]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        double n = x[0], d = x[1];
        var termN = Math.Pow(n, -p[3]);
        var termD = Math.Pow(d, -p[4]);
        dp[0] = 1;
        dp[1] = termN;
        dp[2] = termD;
        dp[3] = -p[1] * termN * Math.Log(n);
        dp[4] = -p[2] * termD * Math.Log(d);
    }

    public string? InvalidInput(ReadOnlySpan<double> x) => x[0] > 0 && x[1] > 0 ? null : "params and tokens must be positive.";

    public IEnumerable<double[]> Starts(FitData data)
    {
        var minLoss = data.Values.Min();
        foreach (var alpha in ExponentGrid)
        foreach (var beta in ExponentGrid)
        {
            var design = new double[data.Count, 3];
            for (var i = 0; i < data.Count; i++)
            {
                var x = data.Input(i);
                design[i, 0] = 1;
                design[i, 1] = Math.Pow(x[0], -alpha);
                design[i, 2] = Math.Pow(x[1], -beta);
            }
            if (LeastSquares.Solve(design, data.Values) is not { } c) continue;
            var floor = 1e-6 * Math.Max(1, Math.Abs(minLoss));
            yield return [Math.Clamp(c[0], 1e-12, Math.Max(minLoss, 1e-12)), Math.Max(c[1], floor), Math.Max(c[2], floor), alpha, beta];
        }
    }
}
