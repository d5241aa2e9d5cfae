namespace PLaw.Laws.Fitting;

/// <summary>
/// A law as the fitter sees it: named, bounded parameters; the law's value and its gradient in the parameters at one
/// observation x (a row of <see cref="FitData"/>); cheap starting points (the fitter ranks them by their sum of squares and
/// runs Levenberg–Marquardt from the best few).
/// </summary>
public interface ILawModel
{
    IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Names of the inputs of one observation, e.g. [layers, dim].</summary>
    IReadOnlyList<string> InputNames { get; }

    double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p);

    /// <summary>Writes ∂value/∂p_j into <paramref name="dp"/> (length = parameter count).</summary>
    void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp);

    /// <summary>Why this observation cannot be used (e.g. a non-positive size), or null.</summary>
    string? InvalidInput(ReadOnlySpan<double> x);

    /// <summary>Candidate starting points, in parameter space; infeasible or non-finite ones are skipped by the fitter.</summary>
    IEnumerable<double[]> Starts(FitData data);
}
