using PLaw.Laws.Fitting;

namespace PLaw.Laws.Forecast;

/// <summary>
/// A learning curve as a saturating power law in training progress t (steps or epochs; the family is the same in either unit,
/// only A rescales): y(t) = y∞ − A·t^(−α) for a rising metric, y∞ + A·t^(−α) for a falling loss (the power-law learning
/// curves of Hestness et al. 2017, "Deep Learning Scaling is Predictable, Empirically", eq. 1, and Domhan et al. 2015's
/// pow3 curve). A ≥ 0 and 0 &lt; α ≤ 5: a curve going the wrong way is fitted as flat (A on its bound) rather than turned round.
/// Starts: a grid of α; for each, y∞ and A by linear least squares on [1, t^(−α)].
/// </summary>
public sealed class SaturatingPowerLawModel : ILawModel
{
    public static readonly SaturatingPowerLawModel Rising = new(CurveDirection.Rising);
    public static readonly SaturatingPowerLawModel Falling = new(CurveDirection.Falling);
    private static readonly double[] AlphaGrid = [0.05, 0.15, 0.3, 0.5, 0.8, 1.2, 2.0, 3.0];
    public const double MaxAlpha = 5;

    private readonly double sign;

    private SaturatingPowerLawModel(CurveDirection direction)
    {
        Direction = direction;
        sign = direction == CurveDirection.Rising ? -1 : 1;
    }

    public static SaturatingPowerLawModel For(CurveDirection direction) => direction == CurveDirection.Rising ? Rising : Falling;

    public CurveDirection Direction { get; }

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
        [ParameterSpec.Free("yInf"), new ParameterSpec("A", 0), new ParameterSpec("alpha", 0, MaxAlpha)];

    public IReadOnlyList<string> InputNames { get; } = ["t"];

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => p[0] + sign * p[1] * Math.Pow(x[0], -p[2]);

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        var power = Math.Pow(x[0], -p[2]);
        dp[0] = 1;
        dp[1] = sign * power;
        dp[2] = -sign * p[1] * power * Math.Log(x[0]);
    }

    public string? InvalidInput(ReadOnlySpan<double> x) => x[0] > 0 ? null : "t (training progress) must be positive.";

    public IEnumerable<double[]> Starts(FitData data)
    {
        var design = new double[data.Count, 2];
        foreach (var alpha in AlphaGrid)
        {
            for (var i = 0; i < data.Count; i++)
            {
                design[i, 0] = 1;
                design[i, 1] = sign * Math.Pow(data.Input(i)[0], -alpha);
            }
            if (LeastSquares.Solve(design, data.Values) is not { } beta) continue;
            // A wrong-way trend solves to A < 0: start just inside the bound and let the descent decide.
            yield return [beta[0], Math.Max(beta[1], 1e-9), alpha];
        }
    }
}
