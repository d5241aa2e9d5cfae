namespace PLaw.Laws;

/// <summary>
/// The performance law across datasets: dataset k's data parameter is D_k = c · q_k, q_k its quality-adjusted size
/// (tokens/ApEn or tokens × real entropy), with w1…w5, b and c shared, so a new dataset's curve follows from its entropy table:
/// <code>P_k(n, d) = w1·φ(n; w3) + w2·φ(d; w4) + φ(c·q_k; w5) + b</code>
/// </summary>
public static class JointPerformanceLaw
{
    public static double Value(double layers, double dim, double quality, double w1, double w2, double w3, double w4, double w5, double c, double b) =>
        PerformanceLaw.Value(layers, dim, w1, w2, w3, w4, w5, c * quality, b);
}

/// <summary>Named parameters of <see cref="JointPerformanceLaw"/>, order w1, w2, w3, w4, w5, c, b.</summary>
public sealed record JointPerformanceLawParameters(double W1, double W2, double W3, double W4, double W5, double C, double B)
{
    public static readonly string[] Names = ["w1", "w2", "w3", "w4", "w5", "c", "b"];

    public double Value(double layers, double dim, double quality) => JointPerformanceLaw.Value(layers, dim, quality, W1, W2, W3, W4, W5, C, B);

    /// <summary>The single-dataset law for a dataset of quality q (D = c·q).</summary>
    public PerformanceLawParameters ForDataset(double quality) => new(W1, W2, W3, W4, W5, C * quality, B);
}
