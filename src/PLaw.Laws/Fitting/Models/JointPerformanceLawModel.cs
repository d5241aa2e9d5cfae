using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>
/// <see cref="JointPerformanceLaw"/> for the fitter: inputs (layers, dim, quality q_k of the point's dataset), parameters
/// w1…w5 and b free, c &gt; 0. Starts: two-stage profile starts (<see cref="ProfileStarts"/>), and grids of (w3, w4), w5 and
/// c·median(q) ∈ {1, 10, 100, 1000} with w1, w2, b by linear least squares for each.
/// </summary>
public sealed class JointPerformanceLawModel : ILawModel
{
    public static readonly JointPerformanceLawModel Instance = new();
    private static readonly double[] W5Grid = [-0.5, -0.1, 0.1, 0.5];
    private static readonly double[] DataScales = [1, 10, 100, 1000];
    private static readonly double[] ProfileGrid = [-1.0, -0.6, -0.4, -0.25, -0.15, -0.05, 0.05, 0.15, 0.3, 0.5];

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

    public IEnumerable<double[]> Starts(FitData data) => ProfileStarts(data).Concat(GridStarts(data));

    /// <summary>
    /// Two-stage starts. (1) For each (w3, w4) of a grid, w1, w2 and one offset o_k per dataset by linear least squares;
    /// the six best are polished by Levenberg–Marquardt with w1…w4 and the offsets free, and the three best distinct kept. (2) The offsets must follow o_k = φ(c·q_k; w5) + b: over a grid of w5 and log c, b is the
    /// point-weighted mean of o_k − φ(c·q_k; w5); the four best (w5, c, b) of each, as found and polished on the offsets,
    /// become starts.
    /// </summary>
    private static IEnumerable<double[]> ProfileStarts(FitData data)
    {
        var qualities = Enumerable.Range(0, data.Count).Select(i => data.Input(i)[2]).Distinct().Order().ToArray();
        var k = qualities.Length;
        var dataset = Enumerable.Range(0, data.Count).Select(i => Array.BinarySearch(qualities, data.Input(i)[2])).ToArray();
        var counts = new double[k];
        foreach (var j in dataset) counts[j]++;
        var profiles = new List<(double Sse, double W1, double W2, double W3, double W4, double[] Offsets)>();
        foreach (var w3 in ProfileGrid)
        foreach (var w4 in ProfileGrid)
        {
            var design = new double[data.Count, 2 + k];
            for (var i = 0; i < data.Count; i++)
            {
                var x = data.Input(i);
                design[i, 0] = PerformanceLaw.Term(x[0], w3);
                design[i, 1] = PerformanceLaw.Term(x[1], w4);
                design[i, 2 + dataset[i]] = 1;
            }
            if (LeastSquares.Solve(design, data.Values) is not { } beta) continue;
            var sse = 0.0;
            for (var i = 0; i < data.Count; i++)
            {
                var r = data.Values[i] - beta[0] * design[i, 0] - beta[1] * design[i, 1] - beta[2 + dataset[i]];
                sse += r * r;
            }
            profiles.Add((sse, beta[0], beta[1], w3, w4, beta[2..]));
        }
        var median = qualities[k / 2];
        // Polish the best profiles with all of w1…w4 and the offsets free (the grid of w3, w4 is coarse).
        var indexed = new double[data.Count * 3];
        for (var i = 0; i < data.Count; i++) { indexed[3 * i] = data.Input(i)[0]; indexed[3 * i + 1] = data.Input(i)[1]; indexed[3 * i + 2] = dataset[i]; }
        var offsetsData = new FitData(3, indexed, data.Values);
        var offsetsModel = new DatasetOffsets(k);
        var polishedProfiles = profiles.OrderBy(p => p.Sse).Take(6).Select(p =>
        {
            var lm = LevenbergMarquardt.Minimize(offsetsModel, offsetsData, [p.W1, p.W2, p.W3, p.W4, .. p.Offsets]);
            var q = lm.Parameters;
            return double.IsFinite(lm.Sse) && lm.Sse < p.Sse ? (Sse: lm.Sse, W1: q[0], W2: q[1], W3: q[2], W4: q[3], Offsets: q[4..]) : p;
        }).ToList();
        foreach (var profile in polishedProfiles.DistinctBy(p => (Math.Round(p.W3, 4), Math.Round(p.W4, 4))).Take(3))
        {
            var curves = new List<(double Sse, double W5, double C, double B)>();
            for (var a = 0; a <= 40; a++)
            {
                var w5 = -1 + a * 0.05;
                if (Math.Abs(w5) < 1e-9) continue;
                for (var e = 0; e <= 36; e++)
                {
                    var c = Math.Pow(10, -3 + e * 0.25) / median;
                    double weighted = 0, total = 0;
                    for (var j = 0; j < k; j++) { weighted += counts[j] * (profile.Offsets[j] - PerformanceLaw.Term(c * qualities[j], w5)); total += counts[j]; }
                    var b = weighted / total;
                    var sse = 0.0;
                    for (var j = 0; j < k; j++)
                    {
                        var r = profile.Offsets[j] - PerformanceLaw.Term(c * qualities[j], w5) - b;
                        sse += counts[j] * r * r;
                    }
                    if (double.IsFinite(sse)) curves.Add((sse, w5, c, b));
                }
            }
            // φ(D; w5) is steep in w5 when D is large: polish each grid point on the offsets before using it.
            var offsets = new FitData(1, dataset.Select(j => qualities[j]).ToArray(), dataset.Select(j => profile.Offsets[j]).ToArray());
            foreach (var curve in curves.OrderBy(c => c.Sse).Take(4))
            {
                yield return [profile.W1, profile.W2, profile.W3, profile.W4, curve.W5, curve.C, curve.B];
                var polished = LevenbergMarquardt.Minimize(OffsetCurve.Instance, offsets, [curve.W5, curve.C, curve.B]);
                if (double.IsFinite(polished.Sse))
                    yield return [profile.W1, profile.W2, profile.W3, profile.W4, polished.Parameters[0], polished.Parameters[1], polished.Parameters[2]];
            }
        }
    }

    private static IEnumerable<double[]> GridStarts(FitData data)
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

    /// <summary>The data term alone, o = φ(c·q; w5) + b, over the per-dataset offsets (one row per run, so datasets weigh by runs).</summary>
    private sealed class OffsetCurve : ILawModel
    {
        public static readonly OffsetCurve Instance = new();

        public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Free("w5"), ParameterSpec.Above("c", 0), ParameterSpec.Free("b")];
        public IReadOnlyList<string> InputNames { get; } = ["quality"];

        public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => PerformanceLaw.Term(p[1] * x[0], p[0]) + p[2];

        public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
        {
            var dataSize = p[1] * x[0];
            dp[0] = PerformanceLaw.TermByExponent(dataSize, p[0]);
            dp[1] = PerformanceLaw.TermByArgument(dataSize, p[0]) * x[0];
            dp[2] = 1;
        }

        public string? InvalidInput(ReadOnlySpan<double> x) => null;
        public IEnumerable<double[]> Starts(FitData data) => [];
    }

    /// <summary>w1·φ(n; w3) + w2·φ(d; w4) + o_k: the depth and width terms shared, one free offset per dataset (input 2 is k).</summary>
    private sealed class DatasetOffsets(int datasets) : ILawModel
    {
        public IReadOnlyList<ParameterSpec> Parameters { get; } =
            new[] { "w1", "w2", "w3", "w4" }.Concat(Enumerable.Range(0, datasets).Select(k => $"o{k}")).Select(ParameterSpec.Free).ToList();
        public IReadOnlyList<string> InputNames { get; } = ["layers", "dim", "dataset"];

        public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) =>
            p[0] * PerformanceLaw.Term(x[0], p[2]) + p[1] * PerformanceLaw.Term(x[1], p[3]) + p[4 + (int)x[2]];

        public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
        {
            dp.Clear();
            dp[0] = PerformanceLaw.Term(x[0], p[2]);
            dp[1] = PerformanceLaw.Term(x[1], p[3]);
            dp[2] = p[0] * PerformanceLaw.TermByExponent(x[0], p[2]);
            dp[3] = p[1] * PerformanceLaw.TermByExponent(x[1], p[3]);
            dp[4 + (int)x[2]] = 1;
        }

        public string? InvalidInput(ReadOnlySpan<double> x) => null;
        public IEnumerable<double[]> Starts(FitData data) => [];
    }
}
