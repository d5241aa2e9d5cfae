namespace PLaw.Laws.Fitting;

/// <summary>
/// Bounded nonlinear least squares for any <see cref="ILawModel"/>: checks the points, ranks the model's starts by their sum of
/// squares, runs <see cref="LevenbergMarquardt"/> for 30 iterations from each of the best <see cref="FitOptions.MaxDescents"/>
/// (and every <see cref="FitOptions.Starts"/>), continues the best two to convergence and keeps the lower; then reports R²,
/// RMSE, residuals, standard errors and identifiability (<see cref="Identifiability"/>). With <see cref="FitData.Weights"/> every
/// step uses the weighted residuals √w·r: the sum of squares, the Jacobian behind the standard errors (σ² = weighted SSE/(m − rank)
/// times (JᵀWJ)⁻¹, i.e. the weights are relative, as <c>curve_fit</c>'s default) and R² (weighted SSE over weighted SST).
/// </summary>
public static class LawFitter
{
    private const int ScoutIterations = 30, Finalists = 2;

    public static LawFit Fit(ILawModel model, FitData data, FitOptions? options = null)
    {
        options ??= new FitOptions();
        Validate(model, data);
        var chosen = new List<double[]>();
        var ranked = new List<(double Sse, double[] Start)>();
        foreach (var start in options.Starts ?? [])
            if (Feasible(model, data, start) is not null) chosen.Add(start);
        if (!options.SkipModelStarts)
            foreach (var start in model.Starts(data))
                if (Feasible(model, data, start) is { } sse) ranked.Add((sse, start));
        // Distinct starts only: several start recipes can land on the same point.
        chosen.AddRange(ranked.OrderBy(r => r.Sse).DistinctBy(r => string.Join(",", r.Start.Select(v => v.ToString("G6"))))
            .Take(options.MaxDescents).Select(r => r.Start));
        if (chosen.Count == 0)
            throw new LawFitException(FitFailure.NoConvergence, "no starting point gives finite predictions for these points.");

        // Successive halving: every start gets a short descent; the best two continue to convergence. Starts that drift into
        // the law's degenerate valleys (an exponent → 0 while its weight → ∞) are dropped early instead of using the full budget.
        var descent = options.Descent ?? new LmOptions();
        var scouting = descent with { MaxIterations = Math.Min(descent.MaxIterations, ScoutIterations) };
        var iterations = 0;
        var scouts = new List<LmResult>();
        foreach (var start in chosen)
        {
            var result = LevenbergMarquardt.Minimize(model, data, start, scouting);
            iterations += result.Iterations;
            if (double.IsFinite(result.Sse)) scouts.Add(result);
        }
        LmResult? best = null;
        foreach (var scout in scouts.OrderBy(r => r.Sse).Take(Finalists))
        {
            var result = scout.Converged ? scout : LevenbergMarquardt.Minimize(model, data, scout.Parameters, descent);
            iterations += scout.Converged ? 0 : result.Iterations;
            if (double.IsFinite(result.Sse) && (best is null || result.Sse < best.Sse)) best = result;
        }
        if (best is null)
            throw new LawFitException(FitFailure.NoConvergence, $"no descent from {chosen.Count} starts reached a finite sum of squares.");
        return Summarise(model, data, best, iterations, chosen.Count, options.IdentifiabilityTolerance);
    }

    private static double? Feasible(ILawModel model, FitData data, double[] start)
    {
        var specs = model.Parameters;
        if (start.Length != specs.Count) return null;
        for (var j = 0; j < specs.Count; j++)
            if (!BoundTransform.Inside(specs[j], start[j])) return null;
        var sse = LevenbergMarquardt.SumOfSquares(model, data, start, null);
        return double.IsFinite(sse) ? sse : null;
    }

    private static LawFit Summarise(ILawModel model, FitData data, LmResult best, int iterations, int descents, double tolerance)
    {
        int m = data.Count, k = model.Parameters.Count;
        var fitted = new double[m];
        var jacobian = new double[m, k];
        var grad = new double[k];
        var weights = data.Weights;
        for (var i = 0; i < m; i++)
        {
            fitted[i] = model.Value(data.Input(i), best.Parameters);
            model.Gradient(data.Input(i), best.Parameters, grad);
            var scale = weights is null ? 1.0 : Math.Sqrt(weights[i]);   // Jacobian of √w·r: standard errors from (JᵀWJ)⁻¹
            for (var j = 0; j < k; j++) jacobian[i, j] = grad[j] * scale;
        }
        // R² = 1 − SSE/SST; with weights both are weighted and SST is about the weighted mean.
        double sst;
        if (weights is null)
        {
            var mean = data.Values.Average();
            sst = data.Values.Sum(y => (y - mean) * (y - mean));
        }
        else
        {
            var mean = data.Values.Select((y, i) => weights[i] * y).Sum() / weights.Sum();
            sst = data.Values.Select((y, i) => weights[i] * (y - mean) * (y - mean)).Sum();
        }
        var names = model.Parameters.Select(p => p.Name).ToList();
        var report = Identifiability.Analyse(jacobian, best.Sse, names, tolerance);
        var errors = new double?[k];
        for (var j = 0; j < k; j++)
        {
            var variance = report.Covariance[j, j];
            errors[j] = report.NotIdentifiable.Contains(names[j]) || !double.IsFinite(variance) || variance < 0 ? null : Math.Sqrt(variance);
        }
        return new LawFit(model, data, best.Parameters, errors, fitted, best.Sse, 1 - best.Sse / sst, report, iterations, descents, best.Converged);
    }

    /// <summary>Refuses points no law can be fitted to, with the reason.</summary>
    public static void Validate(ILawModel model, FitData data)
    {
        var k = model.Parameters.Count;
        if (data.Count < k)
            throw new LawFitException(FitFailure.TooFewPoints,
                $"{data.Count} points for {k} parameters ({string.Join(", ", model.Parameters.Select(p => p.Name))}): need at least {k}.");
        for (var i = 0; i < data.Count; i++)
        {
            var x = data.Input(i);
            foreach (var v in x)
                if (!double.IsFinite(v))
                    throw new LawFitException(FitFailure.NonFiniteValue, $"point {i + 1} ({data.Describe(i, model.InputNames)}): an input is not a finite number.");
            if (data.Weights is { } w && (!double.IsFinite(w[i]) || w[i] <= 0))
                throw new LawFitException(FitFailure.InvalidInput, $"point {i + 1} ({data.Describe(i, model.InputNames)}): weight {w[i]} is not a positive number.");
            if (!double.IsFinite(data.Values[i]))
                throw new LawFitException(FitFailure.NonFiniteValue,
                    $"point {i + 1} ({data.Describe(i, model.InputNames)}): value is {data.Values[i]} (a failed run?); leave it out or re-run it.");
            if (model.InvalidInput(x) is { } reason)
                throw new LawFitException(FitFailure.InvalidInput, $"point {i + 1} ({data.Describe(i, model.InputNames)}): {reason}");
        }
        double min = data.Values.Min(), max = data.Values.Max();
        if (max - min <= 1e-12 * Math.Max(1, Math.Abs(max)))
            throw new LawFitException(FitFailure.ConstantValues, $"all {data.Count} values are {min:G6}: a constant has no trend to fit (R² undefined).");
    }
}
