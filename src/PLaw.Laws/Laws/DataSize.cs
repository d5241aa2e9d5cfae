namespace PLaw.Laws;

/// <summary>
/// Quality-adjusted data sizes from a dataset's entropy table (P-Law): D′ = tokens / ApEn, or tokens × real entropy.
/// </summary>
public static class DataSize
{
    public static double TokensPerApen(double tokens, double apen) =>
        apen > 0 ? tokens / apen : throw new ArgumentOutOfRangeException(nameof(apen), apen, "ApEn must be positive to divide tokens by it.");

    public static double TokensTimesRealEntropy(double tokens, double realEntropy) => tokens * realEntropy;
}
