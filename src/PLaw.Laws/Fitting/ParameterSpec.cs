namespace PLaw.Laws.Fitting;

/// <summary>A named law parameter with its bounds (infinite for free). The fitter keeps it inside through <see cref="BoundTransform"/>.</summary>
public sealed record ParameterSpec(string Name, double Lower = double.NegativeInfinity, double Upper = double.PositiveInfinity)
{
    public static ParameterSpec Free(string name) => new(name);

    /// <summary>Strictly above <paramref name="lower"/> (scale parameters: N₀, D, A, …).</summary>
    public static ParameterSpec Above(string name, double lower) => new(name, lower);
}
