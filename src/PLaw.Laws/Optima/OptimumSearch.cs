namespace PLaw.Laws.Optima;

/// <summary>A configuration and its predicted metric.</summary>
public sealed record Candidate(int Layers, int Dim, double Value);

/// <summary>
/// Exhaustive search of the integer grid: every allowed (n, d) is evaluated, so constraints of any shape are honoured and
/// the optimum is exact on the grid. Ordering: value descending, ties by smaller layers, then smaller dim.
/// The performance law separates as w1·φ(n; w3) + w2·φ(d; w4) + const, so its grid costs one add per point.
/// </summary>
public static class OptimumSearch
{
    public static IReadOnlyList<Candidate> Rank(PerformanceLawParameters law, SearchSpace space, OptimumConstraint? constraint = null, int? top = null)
    {
        space.Validate();
        var dims = space.DimValues().ToArray();
        var dimTerms = dims.Select(d => law.W2 * PerformanceLaw.Term(d, law.W4)).ToArray();
        var constant = PerformanceLaw.Term(law.D, law.W5) + law.B;
        var candidates = new List<Candidate>();
        foreach (var n in space.LayerValues())
        {
            var layerTerm = law.W1 * PerformanceLaw.Term(n, law.W3) + constant;
            for (var j = 0; j < dims.Length; j++)
                if (constraint?.Allows(n, dims[j]) ?? true)
                    candidates.Add(new Candidate(n, dims[j], layerTerm + dimTerms[j]));
        }
        return Order(candidates, top, constraint);
    }

    public static IReadOnlyList<Candidate> Rank(Func<int, int, double> predict, SearchSpace space, OptimumConstraint? constraint = null, int? top = null)
    {
        space.Validate();
        var candidates = new List<Candidate>();
        foreach (var n in space.LayerValues())
        foreach (var d in space.DimValues())
            if (constraint?.Allows(n, d) ?? true)
                candidates.Add(new Candidate(n, d, predict(n, d)));
        return Order(candidates, top, constraint);
    }

    public static Candidate Best(PerformanceLawParameters law, SearchSpace space, OptimumConstraint? constraint = null) =>
        Rank(law, space, constraint, top: 1)[0];

    /// <summary>The best value only, without building candidate records (bootstrap inner loop).</summary>
    internal static Candidate BestFast(PerformanceLawParameters law, int[] layers, int[] dims, bool[,] allowed)
    {
        var dimTerms = new double[dims.Length];
        for (var j = 0; j < dims.Length; j++) dimTerms[j] = law.W2 * PerformanceLaw.Term(dims[j], law.W4);
        var constant = PerformanceLaw.Term(law.D, law.W5) + law.B;
        int bestN = 0, bestD = 0;
        var bestValue = double.NegativeInfinity;
        for (var i = 0; i < layers.Length; i++)
        {
            var layerTerm = law.W1 * PerformanceLaw.Term(layers[i], law.W3) + constant;
            for (var j = 0; j < dims.Length; j++)
            {
                if (!allowed[i, j]) continue;
                var v = layerTerm + dimTerms[j];
                if (v > bestValue) { bestValue = v; bestN = layers[i]; bestD = dims[j]; } // strict: ties keep the smaller n, then d
            }
        }
        return new Candidate(bestN, bestD, bestValue);
    }

    private static IReadOnlyList<Candidate> Order(List<Candidate> candidates, int? top, OptimumConstraint? constraint)
    {
        if (candidates.Count == 0)
            throw new ArgumentException($"no configuration in the search space satisfies the constraint ({constraint?.Describe()}).");
        var ordered = candidates.OrderByDescending(c => c.Value).ThenBy(c => c.Layers).ThenBy(c => c.Dim);
        return (top is { } t ? ordered.Take(t) : ordered).ToList();
    }
}
