namespace PLaw.Laws.Fitting;

/// <summary>How a fit is run.</summary>
/// <param name="MaxDescents">Levenberg–Marquardt runs from the best-ranked starts (by their initial sum of squares).</param>
/// <param name="Starts">Extra starting points tried before the model's own (e.g. the full fit's optimum in a bootstrap).</param>
/// <param name="IdentifiabilityTolerance">Relative singular value below which a Jacobian direction counts as unconstrained.</param>
/// <param name="SkipModelStarts">Only use <see cref="Starts"/> (warm-started refits).</param>
public sealed record FitOptions(
    int MaxDescents = 8,
    IReadOnlyList<double[]>? Starts = null,
    double IdentifiabilityTolerance = Identifiability.DefaultTolerance,
    LmOptions? Descent = null,
    bool SkipModelStarts = false);
