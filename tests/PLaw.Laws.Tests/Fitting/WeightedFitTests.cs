using PLaw.Laws.Fitting;
using PLaw.Laws.Fitting.Models;
using PLaw.Laws.Seeds;

namespace PLaw.Laws.Tests.Fitting;

/// <summary>Weighted least squares (residuals √w·r) in Levenberg–Marquardt and the fitter, and the seed-aware fit built on it.</summary>
public sealed class WeightedFitTests
{
    private static readonly PerformanceLawParameters Truth = Synthetic.Hr10;

    /// <summary>Three seeds per configuration of the synthetic grid, SD <paramref name="noise"/>, and the chosen configuration's seeds replaced.</summary>
    private static List<PerformancePoint> Seeded(double noise, int seed, (int Layers, int Dim, double[] Offsets)? planted = null)
    {
        var random = new Random(seed);
        var points = new List<PerformancePoint>();
        foreach (var n in Synthetic.Layers)
        foreach (var d in Synthetic.Dims)
        {
            if (planted is { } p && (p.Layers, p.Dim) == (n, d))
            {
                points.AddRange(p.Offsets.Select(o => new PerformancePoint(n, d, Truth.Value(n, d) + o)));
                continue;
            }
            for (var s = 0; s < 3; s++) points.Add(new PerformancePoint(n, d, Truth.Value(n, d) + noise * Synthetic.Gaussian(random)));
        }
        return points;
    }

    [Fact]
    public void WeightedFitWithKnownNoiseLevelsRecoversThePlantedLaw()
    {
        // Heteroscedastic: every third point is 20× noisier; weights 1/σ² put the fit back on the law.
        var random = new Random(11);
        var rows = new List<double[]>();
        var values = new List<double>();
        var weights = new List<double>();
        var i = 0;
        foreach (var n in Synthetic.Layers)
        foreach (var d in Synthetic.Dims)
        {
            var sigma = i++ % 3 == 0 ? 0.02 : 0.001;
            rows.Add([n, d]);
            values.Add(Truth.Value(n, d) + sigma * Synthetic.Gaussian(random));
            weights.Add(1 / (sigma * sigma));
        }
        var plain = FitData.FromRows(rows, values);
        var weighted = plain.WithWeights(weights.ToArray());
        var fit = LawFitter.Fit(PerformanceLawModel.Instance, weighted);
        var unweighted = LawFitter.Fit(PerformanceLawModel.Instance, plain);
        Assert.True(fit.Weighted);
        Assert.InRange(fit["w3"], Truth.W3 - 0.01, Truth.W3 + 0.01);
        Assert.InRange(fit["w4"], Truth.W4 - 0.01, Truth.W4 + 0.01);
        Assert.InRange(fit["w1"], 0.97 * Truth.W1, 1.03 * Truth.W1);
        Assert.True(fit.R2 > 0.99, $"weighted R² {fit.R2}");
        // Weighting is what gets it there: the plain fit is several times further from the planted exponents.
        Assert.True(Math.Abs(unweighted["w4"] - Truth.W4) > 3 * Math.Abs(fit["w4"] - Truth.W4),
            $"w4 weighted {fit["w4"]:G5}, unweighted {unweighted["w4"]:G5}, truth {Truth.W4}");
        // Standard errors come from (JᵀWJ)⁻¹: the weighted fit's are smaller.
        Assert.True(fit.StandardError("w4") < unweighted.StandardError("w4"));
    }

    [Fact]
    public void UnitWeightsGiveExactlyTheUnweightedParameters()
    {
        var points = Synthetic.Grid(Truth, noise: 0.002, seed: 3);
        var data = PerformanceFit.ToData(points);
        var plain = LawFitter.Fit(PerformanceLawModel.Instance, data);
        var ones = LawFitter.Fit(PerformanceLawModel.Instance, data.WithWeights(Enumerable.Repeat(1.0, data.Count).ToArray()));
        Assert.Equal(plain.Values, ones.Values);
        Assert.Equal(plain.Sse, ones.Sse);
        Assert.Equal(plain.StandardErrors, ones.StandardErrors);
    }

    [Fact]
    public void WithOneSeedPerConfigurationTheSeedFitIsThePlainFit()
    {
        var points = Synthetic.Grid(Truth, noise: 0.002, seed: 3);
        var seeded = SeedFit.Performance(points);
        Assert.False(seeded.Weighted);
        Assert.Contains("one seed", seeded.Seeds.Note, StringComparison.Ordinal);
        Assert.Same(seeded.Seeds.Raw, seeded.Seeds.Means);
        Assert.Equal(PerformanceFit.Fit(points).Result.Values, seeded.Fit.Result.Values);
    }

    [Fact]
    public void ANoisyConfigurationWithLowWeightDoesNotPullTheFit()
    {
        // 12 × 128, next to the optimum, has three seeds far apart and a mean 0.06 above the law; every other configuration has
        // three seeds within 0.001.
        var planted = (12, 128, new[] { 0.11, 0.01, 0.06 });
        var points = Seeded(0.001, 5, planted);
        var seeded = SeedFit.Performance(points);
        Assert.True(seeded.Weighted);
        var noisy = seeded.Seeds.Configurations.Single(c => c.Input[0] == 12 && c.Input[1] == 128);
        Assert.Equal(3, noisy.N);
        Assert.Equal(0.05, noisy.Sd, 6);
        var quiet = seeded.Seeds.Configurations.Where(c => c != noisy).Average(c => c.Variance);
        Assert.True(noisy.Variance > 20 * quiet, $"noisy variance {noisy.Variance:G3}, quiet {quiet:G3}");

        var unweightedMeans = LawFitter.Fit(PerformanceLawModel.Instance, seeded.Seeds.Means.WithWeights(null));
        var weightedError = Math.Abs(seeded.Fit.Predict(12, 128) - Truth.Value(12, 128));
        var unweightedError = Math.Abs(unweightedMeans.Predict(12, 128) - Truth.Value(12, 128));
        Assert.True(weightedError < 0.003, $"weighted fit misses 12 × 128 by {weightedError:G3}");
        Assert.True(unweightedError > 3 * weightedError, $"unweighted {unweightedError:G3}, weighted {weightedError:G3}");
    }
}
