using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>
/// <see cref="KaplanLaw"/> for the fitter: inputs (N, D); N_c, D_c, α_N, α_D all &gt; 0. Starts: grids of (α_N, α_D); then
/// L^(1/α_D) = N_c^(α_N/α_D)·N^(−α_N/α_D) + D_c·(1/D) is linear in (N_c^(α_N/α_D), D_c).
/// </summary>
public sealed class KaplanModel : ILawModel
{
    public static readonly KaplanModel Instance = new();
    private static readonly double[] AlphaGrid = [0.03, 0.07, 0.15, 0.3, 0.6];

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
        [ParameterSpec.Above("Nc", 0), ParameterSpec.Above("Dc", 0), ParameterSpec.Above("alphaN", 0), ParameterSpec.Above("alphaD", 0)];

    public IReadOnlyList<string> InputNames { get; } = ["params", "tokens"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => KaplanLaw.Loss(x[0], x[1], p[0], p[1], p[2], p[3]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        double n = x[0], d = x[1], nc = p[0], dc = p[1], alphaN = p[2], alphaD = p[3];
        var ratio = alphaN / alphaD;
        var logRatio = Math.Log(nc / n);
        var t1 = Math.Pow(nc / n, ratio);
        var s = t1 + dc / d;
        var loss = Math.Pow(s, alphaD);
        var outer = alphaD * Math.Pow(s, alphaD - 1); // dL/ds
        dp[0] = outer * ratio * t1 / nc;
        dp[1] = outer / d;
        dp[2] = outer * t1 * logRatio / alphaD;
        dp[3] = loss * Math.Log(s) - outer * t1 * logRatio * alphaN / (alphaD * alphaD);
    }

    public string? InvalidInput(ReadOnlySpan<double> x) => x[0] > 0 && x[1] > 0 ? null : "params and tokens must be positive.";

    public IEnumerable<double[]> Starts(FitData data)
    {
        foreach (var alphaN in AlphaGrid)
        foreach (var alphaD in AlphaGrid)
        {
            var ratio = alphaN / alphaD;
            var design = new double[data.Count, 2];
            var target = new double[data.Count];
            for (var i = 0; i < data.Count; i++)
            {
                var x = data.Input(i);
                design[i, 0] = Math.Pow(x[0], -ratio);
                design[i, 1] = 1 / x[1];
                target[i] = Math.Pow(data.Values[i], 1 / alphaD);
            }
            if (LeastSquares.Solve(design, target) is { } beta && beta[0] > 0 && beta[1] > 0)
                yield return [Math.Pow(beta[0], 1 / ratio), beta[1], alphaN, alphaD];
        }
    }
}
