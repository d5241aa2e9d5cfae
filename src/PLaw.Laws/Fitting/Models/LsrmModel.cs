using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>
/// <see cref="LsrmLaw"/> for the fitter: input N (non-embedding parameters); E ≥ 0, N₀ &gt; 0, α &gt; 0. Starts: grids of α and
/// E as a share of the smallest loss; N₀ = exp mean(ln N + ln(L − E)/α), the log-mean solution for that (E, α).
/// </summary>
public sealed class LsrmModel : ILawModel
{
    public static readonly LsrmModel Instance = new();
    private static readonly double[] AlphaGrid = [0.03, 0.07, 0.15, 0.3, 0.6, 1.0];
    private static readonly double[] FloorShares = [0, 0.5, 0.8, 0.9, 0.97, 0.995];

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
        [new ParameterSpec("E", 0), ParameterSpec.Above("N0", 0), ParameterSpec.Above("alpha", 0)];

    public IReadOnlyList<string> InputNames { get; } = ["params"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => LsrmLaw.Loss(x[0], p[0], p[1], p[2]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        double n = x[0], n0 = p[1], alpha = p[2];
        var power = Math.Pow(n0 / n, alpha);
        dp[0] = 1;
        dp[1] = alpha * power / n0;
        dp[2] = power * Math.Log(n0 / n);
    }

    public string? InvalidInput(ReadOnlySpan<double> x) => x[0] > 0 ? null : "params must be positive.";

    public IEnumerable<double[]> Starts(FitData data)
    {
        var minLoss = data.Values.Min();
        foreach (var alpha in AlphaGrid)
        foreach (var share in FloorShares)
        {
            var e = share * minLoss;
            if (e < 0 || e >= minLoss) continue;
            var logN0 = 0.0;
            for (var i = 0; i < data.Count; i++)
                logN0 += Math.Log(data.Input(i)[0]) + Math.Log(data.Values[i] - e) / alpha;
            yield return [Math.Max(e, 1e-12), Math.Exp(logN0 / data.Count), alpha];
        }
    }
}
