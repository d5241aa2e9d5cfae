using PLaw.Laws.Fitting;

namespace PLaw.Laws.Seeds;

/// <summary>
/// Runs grouped by configuration, and the fit data made from them: one row per configuration at its mean over seeds, weighted
/// by 1/SE² of that mean.
/// <para>
/// Per-seed variance of a configuration: its own sample variance s², moderated toward the pooled within-configuration variance
/// s_p² = Σ(nᵢ − 1)sᵢ² / Σ(nᵢ − 1) as v = ((n − 1)s² + ν₀s_p²) / (n − 1 + ν₀) with ν₀ = <see cref="PriorDegrees"/> (Smyth 2004's
/// moderated variance): two seeds that happen to agree do not get an unbounded weight, and a configuration with one seed gets
/// the pooled variance. Weight = n / v = 1/SE². When no configuration has two or more seeds the seed noise is unknown: the fit
/// stays unweighted on the runs themselves (exactly as without seeds) and <see cref="Note"/> says so.
/// </para>
/// </summary>
public sealed record SeedData(FitData Raw, FitData Means, IReadOnlyList<SeedConfiguration> Configurations, bool Weighted, double PooledVariance, string Note)
{
    /// <summary>ν₀: how many degrees of freedom the pooled variance counts for in each configuration's moderated variance.</summary>
    public const double PriorDegrees = 2;

    /// <summary>Configurations with two or more seeds.</summary>
    public int Replicated => Configurations.Count(c => c.N >= 2);

    /// <summary>√ of the pooled within-configuration variance (NaN when no configuration has two seeds).</summary>
    public double PooledSd => Math.Sqrt(PooledVariance);

    /// <summary>v = ((n − 1)s² + ν₀·s_p²) / (n − 1 + ν₀).</summary>
    public static double ModeratedVariance(int n, double sampleVariance, double pooledVariance) =>
        n >= 2 ? ((n - 1) * sampleVariance + PriorDegrees * pooledVariance) / (n - 1 + PriorDegrees) : pooledVariance;

    /// <summary>Groups the rows of <paramref name="raw"/> by identical inputs (first appearance order) and builds the fit data.</summary>
    public static SeedData Of(FitData raw)
    {
        var groups = new List<(double[] Input, List<int> Rows)>();
        var index = new Dictionary<string, int>();
        for (var i = 0; i < raw.Count; i++)
        {
            var input = raw.Input(i).ToArray();
            var key = string.Join(",", input.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            if (!index.TryGetValue(key, out var g)) { index[key] = g = groups.Count; groups.Add((input, [])); }
            groups[g].Rows.Add(i);
        }
        var stats = groups.Select(g =>
        {
            var values = g.Rows.Select(r => raw.Values[r]).ToArray();
            var mean = values.Average();
            var variance = values.Length >= 2 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) : double.NaN;
            return (g.Input, g.Rows, Mean: mean, Variance: variance);
        }).ToList();

        var degrees = stats.Where(s => s.Rows.Count >= 2).Sum(s => s.Rows.Count - 1);
        var pooled = degrees > 0 ? stats.Where(s => s.Rows.Count >= 2).Sum(s => (s.Rows.Count - 1) * s.Variance) / degrees : double.NaN;
        var replicated = stats.Count(s => s.Rows.Count >= 2);
        var weighted = degrees > 0 && pooled > 0 && double.IsFinite(pooled);
        var configurations = stats.Select(s => new SeedConfiguration(s.Input, s.Rows, s.Mean, Math.Sqrt(s.Variance),
            weighted ? ModeratedVariance(s.Rows.Count, s.Variance, pooled) : double.NaN)).ToList();

        if (degrees == 0)
            return new SeedData(raw, raw, configurations, false, double.NaN,
                $"Every configuration has one seed, so the seed noise is unknown: the law is fitted unweighted to the {raw.Count} runs. " +
                "Give a study several seeds (plaw study --seeds 1,2,3) to weight each configuration by how precisely it is measured.");
        var flat = configurations.SelectMany(c => c.Input).ToArray();
        var means = configurations.Select(c => c.Mean).ToArray();
        if (!weighted)
            return new SeedData(raw, new FitData(raw.Width, flat, means), configurations, false, pooled,
                $"The seeds of the {replicated} repeated configurations agree exactly (no seed noise to weigh by): the law is fitted unweighted to the means of the {configurations.Count} configurations.");
        var weights = configurations.Select(c => c.N / c.Variance).ToArray();
        var single = configurations.Count(c => c.N == 1);
        return new SeedData(raw, new FitData(raw.Width, flat, means, weights), configurations, true, pooled,
            $"Fitted to the means of {configurations.Count} configurations ({raw.Count} runs; {replicated} with two or more seeds), each weighted by 1/SE² of its mean; " +
            $"the pooled seed SD is {Math.Sqrt(pooled):G3}" + (single > 0 ? $", used for the {single} configuration{(single == 1 ? "" : "s")} with one seed." : "."));
    }
}
