namespace PLaw.Laws;

/// <summary>
/// P-Law performance law (Shen et al., "Predictive Models in Sequential Recommendations: Bridging Performance Laws with
/// Data Quality Insights", performance-law eq.; as fitted in the authors' <c>performance_law_fitting.py</c> with pf1 = pf2 = 2):
/// <code>
/// P(n, d) = w1·(−1/(2·n^w3) − w3·ln n) + w2·(−1/(2·d^w4) − w4·ln d) + (−1/(2·D^w5) − w5·ln D) + b
/// </code>
/// n layers, d embedding width, D ≥ 0 the data parameter, P a metric (HR@K, NDCG@K, MRR).
/// Each bracket is <see cref="Term"/>: a power that saturates plus a logarithmic decay, so P can rise then fall and the law
/// has interior optima. For w &lt; 0 the term peaks at x* = 2^(−1/w) (<see cref="TermPeak"/>).
/// </summary>
public static class PerformanceLaw
{
    /// <summary>P(n, d) of the performance law.</summary>
    public static double Value(double layers, double dim, double w1, double w2, double w3, double w4, double w5, double dataSize, double b) =>
        w1 * Term(layers, w3) + w2 * Term(dim, w4) + Term(dataSize, w5) + b;

    /// <summary>The bracket φ(x; w) = −1/(2·x^w) − w·ln x.</summary>
    public static double Term(double x, double w) => -0.5 * Math.Pow(x, -w) - w * Math.Log(x);

    /// <summary>∂φ/∂w = ln x · (x^(−w)/2 − 1).</summary>
    public static double TermByExponent(double x, double w) => Math.Log(x) * (0.5 * Math.Pow(x, -w) - 1);

    /// <summary>∂φ/∂x = (w/x) · (x^(−w)/2 − 1).</summary>
    public static double TermByArgument(double x, double w) => w / x * (0.5 * Math.Pow(x, -w) - 1);

    /// <summary>Where φ(·; w) is stationary: x* = 2^(−1/w) (a maximum for w &lt; 0, where x* &gt; 1).</summary>
    public static double TermPeak(double w) => Math.Pow(2, -1 / w);
}

/// <summary>The seven named parameters of <see cref="PerformanceLaw"/>, in the order w1, w2, w3, w4, w5, D, b.</summary>
public sealed record PerformanceLawParameters(double W1, double W2, double W3, double W4, double W5, double D, double B)
{
    public static readonly string[] Names = ["w1", "w2", "w3", "w4", "w5", "D", "b"];

    public double Value(double layers, double dim) => PerformanceLaw.Value(layers, dim, W1, W2, W3, W4, W5, D, B);

    public double[] ToArray() => [W1, W2, W3, W4, W5, D, B];

    public static PerformanceLawParameters FromArray(IReadOnlyList<double> p) => new(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
}
