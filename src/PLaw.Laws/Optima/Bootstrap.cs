using PLaw.Laws.Fitting;
using PLaw.Laws.Seeds;

namespace PLaw.Laws.Optima;

/// <summary>Case-resampling bootstrap settings: <see cref="Resamples"/> resamples drawn with a <see cref="Seed"/>ed generator.</summary>
public sealed record BootstrapOptions(int Resamples = 200, int Seed = 20251123);

/// <summary>How often a configuration was the optimum across bootstrap refits.</summary>
public sealed record OptimumFrequency(int Layers, int Dim, int Count, double Share);

/// <summary>
/// The optimum with its uncertainty: the point estimate (full fit), how often each configuration was optimal across
/// resamples, and the 2.5 %–97.5 % percentile interval of the optimum's predicted value.
/// </summary>
public sealed record OptimumUncertainty(
    Candidate PointEstimate, IReadOnlyList<OptimumFrequency> Frequencies, double ValueLow, double ValueHigh, int Resamples, int FailedResamples);

/// <summary>
/// Bootstrap of the performance law: draw the fit points with replacement, refit (warm-started from the full fit's optimum,
/// plus the best two of the model's own starts), and keep every refit law. Resamples the fitter refuses (e.g. a resample with
/// all values equal) are counted as failed, not hidden. When configurations were run with several seeds the resamples are over
/// seeds within each configuration instead (<see cref="SeedBootstrap"/>), and <c>full</c> is the seed-aware fit
/// (<see cref="SeedFit.Performance"/>).
/// </summary>
public static class Bootstrap
{
    public static IReadOnlyList<PerformanceLawParameters> Refit(IReadOnlyList<PerformancePoint> points, PerformanceFit full, BootstrapOptions? options,
        out int failed)
    {
        options ??= new BootstrapOptions();
        if (HasSeeds(points))
        {
            var seeds = SeedData.Of(PerformanceFit.ToData(points));
            return SeedBootstrap.Refit(Fitting.Models.PerformanceLawModel.Instance, seeds, full.Result, options.Resamples, options.Seed, out failed)
                .Select(PerformanceLawParameters.FromArray).ToList();
        }
        var random = new Random(options.Seed);
        var data = PerformanceFit.ToData(points);
        var warm = new FitOptions(MaxDescents: 2, Starts: [full.Result.Values]);
        var laws = new List<PerformanceLawParameters>(options.Resamples);
        failed = 0;
        var indices = new int[points.Count];
        for (var r = 0; r < options.Resamples; r++)
        {
            for (var i = 0; i < indices.Length; i++) indices[i] = random.Next(points.Count);
            try
            {
                var fit = LawFitter.Fit(Fitting.Models.PerformanceLawModel.Instance, data.Select(indices), warm);
                laws.Add(PerformanceLawParameters.FromArray(fit.Values));
            }
            catch (LawFitException)
            {
                failed++;
            }
        }
        return laws;
    }

    public static OptimumUncertainty Optimum(IReadOnlyList<PerformancePoint> points, SearchSpace space, OptimumConstraint? constraint = null,
        BootstrapOptions? options = null)
    {
        var full = SeedFit.Performance(points).Fit;
        var replicates = Refit(points, full, options, out var failed);
        return Summarise(full.Parameters, replicates, space, constraint, failed);
    }

    public static OptimumUncertainty Summarise(PerformanceLawParameters full, IReadOnlyList<PerformanceLawParameters> replicates, SearchSpace space,
        OptimumConstraint? constraint, int failed)
    {
        var (layers, dims, allowed) = Mask(space, constraint);
        var point = OptimumSearch.Best(full, space, constraint);
        var optima = replicates.Select(law => OptimumSearch.BestFast(law, layers, dims, allowed)).ToList();
        var frequencies = optima.GroupBy(c => (c.Layers, c.Dim))
            .Select(g => new OptimumFrequency(g.Key.Layers, g.Key.Dim, g.Count(), (double)g.Count() / Math.Max(1, optima.Count)))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Layers).ThenBy(f => f.Dim).ToList();
        var values = optima.Select(c => c.Value).Order().ToArray();
        return new OptimumUncertainty(point, frequencies, Percentile(values, 0.025), Percentile(values, 0.975), replicates.Count + failed, failed);
    }

    /// <summary>Some configuration was run more than once (several seeds).</summary>
    public static bool HasSeeds(IReadOnlyList<PerformancePoint> points) => points.Select(p => (p.Layers, p.Dim)).Distinct().Count() < points.Count;

    internal static (int[] Layers, int[] Dims, bool[,] Allowed) Mask(SearchSpace space, OptimumConstraint? constraint)
    {
        space.Validate();
        var layers = space.LayerValues().ToArray();
        var dims = space.DimValues().ToArray();
        var allowed = new bool[layers.Length, dims.Length];
        var any = false;
        for (var i = 0; i < layers.Length; i++)
        for (var j = 0; j < dims.Length; j++)
            any |= allowed[i, j] = constraint?.Allows(layers[i], dims[j]) ?? true;
        if (!any) throw new ArgumentException($"no configuration in the search space satisfies the constraint ({constraint?.Describe()}).");
        return (layers, dims, allowed);
    }

    /// <summary>Linear-interpolated percentile of sorted values (NaN when empty).</summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
