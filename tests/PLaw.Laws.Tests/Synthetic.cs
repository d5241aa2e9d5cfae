using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests;

/// <summary>Seeded synthetic grids drawn from known laws.</summary>
internal static class Synthetic
{
    /// <summary>Interior optimum at n* = 2^(1/0.3) ≈ 10.1 layers, d* = 2^(1/0.15) ≈ 101.6 (P-Law term peaks).</summary>
    public static readonly PerformanceLawParameters Hr10 = new(W1: 0.5, W2: 1.0, W3: -0.3, W4: -0.15, W5: 0.2, D: 50, B: 1.2);

    public static readonly int[] Layers = [1, 2, 4, 8, 12, 16, 24];
    public static readonly int[] Dims = [16, 32, 64, 128, 256];

    public static List<PerformancePoint> Grid(PerformanceLawParameters law, double noise = 0, int seed = 7, int[]? layers = null, int[]? dims = null)
    {
        var random = new Random(seed);
        return (from n in layers ?? Layers
                from d in dims ?? Dims
                select new PerformancePoint(n, d, law.Value(n, d) + noise * Gaussian(random))).ToList();
    }

    public static double Gaussian(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
