namespace PLaw.Laws;

/// <summary>
/// LSRM loss scaling law (large sequential recommendation models, loss over non-embedding parameters):
/// <c>L(N) = E + (N₀ / N)^α</c> (LSRM eq.), N the non-embedding parameter count, E the irreducible loss.
/// </summary>
public static class LsrmLaw
{
    /// <summary>L(N) = E + (N₀/N)^α.</summary>
    public static double Loss(double nonEmbeddingParameters, double e, double n0, double alpha) =>
        e + Math.Pow(n0 / nonEmbeddingParameters, alpha);
}

/// <summary>The three named parameters of <see cref="LsrmLaw"/>.</summary>
public sealed record LsrmParameters(double E, double N0, double Alpha)
{
    public double Loss(double nonEmbeddingParameters) => LsrmLaw.Loss(nonEmbeddingParameters, E, N0, Alpha);
}
