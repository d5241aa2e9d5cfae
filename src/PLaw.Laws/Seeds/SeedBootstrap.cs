using PLaw.Laws.Fitting;

namespace PLaw.Laws.Seeds;

/// <summary>A fitted parameter and its bootstrap percentile interval.</summary>
/// <param name="Identifiable">False when the points cannot fix the parameter: its interval says nothing.</param>
public sealed record ParameterInterval(string Name, double Estimate, double Low, double High, bool Identifiable);

/// <summary>Parameter intervals of a seed-aware fit and how they were drawn.</summary>
/// <param name="OverSeeds">Resampled seeds within configurations; false: resampled configurations (one seed each).</param>
public sealed record SeedIntervals(IReadOnlyList<ParameterInterval> Parameters, double Level, int Resamples, int Failed, bool OverSeeds)
{
    public ParameterInterval this[string name] => Parameters.First(p => p.Name == name);
}

/// <summary>
/// Bootstrap over seeds. When the seed noise is known (<see cref="SeedData.Weighted"/>), each resample keeps every configuration
/// and redraws its runs with replacement, the drawn mean's deviation widened by √(n/(n − 1)) (a configuration with one seed instead gets its value plus Gaussian noise of the pooled
/// seed SD, so it is not treated as exact), recomputes the means and refits with the full data's weights (a resample that repeats
/// one seed twice would otherwise get an unbounded weight). Without seed noise it draws configurations with replacement, the
/// ordinary case bootstrap. Each refit is warm-started from the full fit plus the model's two best starts; resamples the fitter
/// refuses are counted, not hidden.
/// </summary>
public static class SeedBootstrap
{
    public static IReadOnlyList<double[]> Refit(ILawModel model, SeedData seeds, LawFit full, int resamples, int seed, out int failed)
    {
        var random = new Random(seed);
        var warm = new FitOptions(MaxDescents: 2, Starts: [full.Values]);
        var replicates = new List<double[]>(resamples);
        failed = 0;
        for (var r = 0; r < resamples; r++)
        {
            try { replicates.Add(LawFitter.Fit(model, Resample(seeds, random), warm).Values); }
            catch (LawFitException) { failed++; }
        }
        return replicates;
    }

    /// <summary>One bootstrap data set (see the class summary).</summary>
    public static FitData Resample(SeedData seeds, Random random)
    {
        var means = seeds.Means;
        if (!seeds.Weighted)
        {
            var indices = new int[means.Count];
            for (var i = 0; i < indices.Length; i++) indices[i] = random.Next(means.Count);
            return means.Select(indices);
        }
        var values = new double[means.Count];
        var flat = new double[means.Count * means.Width];
        for (var c = 0; c < seeds.Configurations.Count; c++)
        {
            var configuration = seeds.Configurations[c];
            configuration.Input.CopyTo(flat, c * means.Width);
            if (configuration.N == 1)
            {
                values[c] = configuration.Mean + seeds.PooledSd * Gaussian(random);
                continue;
            }
            var sum = 0.0;
            for (var k = 0; k < configuration.N; k++) sum += seeds.Raw.Values[configuration.Rows[random.Next(configuration.N)]];
            // Drawn means vary by (n − 1)/n of s²/n; widen their deviation by √(n/(n − 1)) so the resampled mean has the
            // variance s²/n of the real one (Davison & Hinkley 1997, §3.3; matters with 2–4 seeds).
            values[c] = configuration.Mean + Math.Sqrt((double)configuration.N / (configuration.N - 1)) * (sum / configuration.N - configuration.Mean);
        }
        return new FitData(means.Width, flat, values, means.Weights);
    }

    /// <summary>Percentile intervals at <paramref name="level"/> (0.95: 2.5 %–97.5 %) of each parameter over the refits.</summary>
    public static SeedIntervals Intervals(SeededFit fit, int resamples = 200, int seed = 20251123, double level = 0.95)
    {
        var replicates = Refit(fit.Fit.Model, fit.Seeds, fit.Fit, resamples, seed, out var failed);
        return Intervals(fit.Fit, replicates, failed, fit.Seeds.Weighted, level);
    }

    /// <summary>Percentile intervals of each parameter of <paramref name="full"/> over refits drawn elsewhere (e.g. the optimum's bootstrap).</summary>
    public static SeedIntervals Intervals(LawFit full, IReadOnlyList<double[]> replicates, int failed, bool overSeeds, double level = 0.95)
    {
        var tail = (1 - level) / 2;
        var parameters = full.Model.Parameters.Select((p, j) =>
        {
            var sorted = replicates.Select(v => v[j]).Where(double.IsFinite).Order().ToArray();
            return new ParameterInterval(p.Name, full.Values[j], Optima.Bootstrap.Percentile(sorted, tail), Optima.Bootstrap.Percentile(sorted, 1 - tail),
                full.IsIdentifiable(p.Name));
        }).ToList();
        return new SeedIntervals(parameters, level, replicates.Count + failed, failed, overSeeds);
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
