namespace PLaw.Laws.Seeds;

/// <summary>
/// One configuration (one input row, e.g. layers × width) and its runs, one per seed.
/// </summary>
/// <param name="Input">The configuration's inputs, as in the fit data.</param>
/// <param name="Rows">Indices of its runs in the raw fit data.</param>
/// <param name="Mean">Mean of its runs' values.</param>
/// <param name="Sd">Sample standard deviation over its seeds (NaN with one seed).</param>
/// <param name="Variance">The per-seed variance its weight uses (<see cref="SeedData.ModeratedVariance"/>); NaN when the fit is unweighted.</param>
public sealed record SeedConfiguration(double[] Input, IReadOnlyList<int> Rows, double Mean, double Sd, double Variance)
{
    /// <summary>Number of runs (seeds).</summary>
    public int N => Rows.Count;

    /// <summary>Standard error of the mean, √(variance/n) (NaN when unweighted).</summary>
    public double StandardError => Math.Sqrt(Variance / N);
}
