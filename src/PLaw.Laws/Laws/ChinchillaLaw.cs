namespace PLaw.Laws;

/// <summary>
/// Chinchilla (Hoffmann et al. 2022) parametric loss, eq. (2): <c>L(N, D) = E + A / N^α + B / D^β</c>.
/// D is raw tokens or a quality-adjusted size (<see cref="DataSize"/>).
/// </summary>
public static class ChinchillaLaw
{
    public static double Loss(double parameters, double data, double e, double a, double b, double alpha, double beta) =>
        e + a / Math.Pow(parameters, alpha) + b / Math.Pow(data, beta);
}

public sealed record ChinchillaParameters(double E, double A, double B, double Alpha, double Beta)
{
    public double Loss(double parameters, double data) => ChinchillaLaw.Loss(parameters, data, E, A, B, Alpha, Beta);
}
