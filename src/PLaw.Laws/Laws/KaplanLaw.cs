namespace PLaw.Laws;

/// <summary>
/// Kaplan et al. (2020) loss over parameters and data, eq. (1.5):
/// <c>L(N, D) = [(N_c / N)^(α_N / α_D) + D_c / D]^α_D</c>.
/// D is raw tokens or a quality-adjusted size (<see cref="DataSize"/>).
/// </summary>
public static class KaplanLaw
{
    public static double Loss(double parameters, double data, double nc, double dc, double alphaN, double alphaD) =>
        Math.Pow(Math.Pow(nc / parameters, alphaN / alphaD) + dc / data, alphaD);
}

public sealed record KaplanParameters(double Nc, double Dc, double AlphaN, double AlphaD)
{
    public double Loss(double parameters, double data) => KaplanLaw.Loss(parameters, data, Nc, Dc, AlphaN, AlphaD);
}
