using MathNet.Numerics.LinearAlgebra;

namespace PLaw.Laws.Fitting;

/// <summary>What the Jacobian at the optimum says about the parameters.</summary>
/// <param name="NotIdentifiable">Parameters the points cannot fix: they load on a (near-)null direction of the Jacobian.</param>
/// <param name="Tradeoffs">Groups of parameters that move together along such a direction (only a combination is fixed).</param>
/// <param name="Covariance">σ²·(JᵀJ)⁺ (pseudo-inverse over the identified directions); σ² = SSE / (m − rank).</param>
/// <param name="Rank">Number of identified directions.</param>
/// <param name="ConditionNumber">σ_max/σ_min of the column-scaled Jacobian over the identified directions.</param>
public sealed record IdentifiabilityReport(
    IReadOnlyList<string> NotIdentifiable, IReadOnlyList<IReadOnlyList<string>> Tradeoffs, double[,] Covariance, int Rank, double ConditionNumber);

/// <summary>
/// Identifiability from the Jacobian J (m × k, in parameter space) at the optimum. Columns are scaled to unit norm, so units do
/// not matter; a right singular vector whose singular value is below <c>tolerance · σ_max</c> is a direction the data do not
/// constrain, and every parameter loading on it by more than 0.01 is not identifiable (a column of zeros counts too: the
/// parameter has no effect). Standard errors come from the pseudo-inverse over the remaining directions, which is the
/// covariance of every estimable combination; those of non-identifiable parameters are withheld.
/// </summary>
public static class Identifiability
{
    public const double DefaultTolerance = 1e-6;
    private const double Loading = 0.01;

    public static IdentifiabilityReport Analyse(double[,] jacobian, double sse, IReadOnlyList<string> names, double tolerance = DefaultTolerance)
    {
        int m = jacobian.GetLength(0), k = jacobian.GetLength(1);
        var scale = new double[k];
        for (var j = 0; j < k; j++)
        {
            var s = 0.0;
            for (var i = 0; i < m; i++) s += jacobian[i, j] * jacobian[i, j];
            scale[j] = Math.Sqrt(s);
        }
        var scaled = Matrix<double>.Build.Dense(m, k, (i, j) => scale[j] > 0 ? jacobian[i, j] / scale[j] : 0);
        MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> svd;
        try
        {
            svd = scaled.Svd(computeVectors: true);
        }
        catch (MathNet.Numerics.NonConvergenceException)
        {
            // Seen when a fit ends with parameters at an extreme (c → 1e-50): the Jacobian's columns span too many decades.
            throw new LawFitException(FitFailure.NoConvergence,
                "the fit's Jacobian could not be decomposed (its SVD did not converge): the parameters ended at an extreme, so their uncertainty is unknown.");
        }
        var sigma = svd.S;
        var v = svd.VT.Transpose(); // columns: right singular vectors
        var sigmaMax = sigma.Count > 0 ? sigma[0] : 0;

        var groups = new List<HashSet<int>>();
        var identified = new List<int>();
        for (var c = 0; c < k; c++)
        {
            var singular = c < sigma.Count ? sigma[c] : 0;
            if (sigmaMax > 0 && singular > tolerance * sigmaMax) { identified.Add(c); continue; }
            var group = new HashSet<int>();
            for (var j = 0; j < k; j++)
                if (Math.Abs(v[j, c]) > Loading) group.Add(j);
            if (group.Count > 0) groups.Add(group);
        }
        for (var j = 0; j < k; j++)
            if (scale[j] == 0) groups.Add([j]);
        var merged = Merge(groups);

        var rank = identified.Count;
        var variance = m > rank ? sse / (m - rank) : double.NaN;
        var covariance = new double[k, k];
        for (var a = 0; a < k; a++)
        for (var b = 0; b < k; b++)
        {
            var s = 0.0;
            foreach (var c in identified) s += v[a, c] * v[b, c] / (sigma[c] * sigma[c]);
            covariance[a, b] = scale[a] > 0 && scale[b] > 0 ? variance * s / (scale[a] * scale[b]) : double.NaN;
        }
        var notIdentifiable = merged.SelectMany(g => g).Distinct().Order().Select(j => names[j]).ToList();
        var tradeoffs = merged.Select(g => (IReadOnlyList<string>)g.Order().Select(j => names[j]).ToList()).ToList();
        var condition = rank > 0 ? sigmaMax / sigma[identified[^1]] : double.PositiveInfinity;
        return new IdentifiabilityReport(notIdentifiable, tradeoffs, covariance, rank, condition);
    }

    private static List<HashSet<int>> Merge(List<HashSet<int>> groups)
    {
        var merged = new List<HashSet<int>>();
        foreach (var g in groups)
        {
            var target = new HashSet<int>(g);
            for (var i = merged.Count - 1; i >= 0; i--)
                if (merged[i].Overlaps(target)) { target.UnionWith(merged[i]); merged.RemoveAt(i); }
            merged.Add(target);
        }
        return merged.OrderBy(g => g.Min()).ToList();
    }
}
