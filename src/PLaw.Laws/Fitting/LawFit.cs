namespace PLaw.Laws.Fitting;

/// <summary>
/// A fitted law: the parameters by name with standard errors (null where not identifiable or undefined), goodness of fit,
/// residuals, and which parameters the points cannot fix.
/// </summary>
public sealed class LawFit
{
    internal LawFit(ILawModel model, FitData data, double[] values, double?[] standardErrors, double[] fitted, double sse,
        double r2, IdentifiabilityReport identifiability, int iterations, int descents, bool converged)
    {
        Model = model;
        Data = data;
        Values = values;
        StandardErrors = standardErrors;
        Fitted = fitted;
        Residuals = data.Values.Select((y, i) => y - fitted[i]).ToArray();
        Sse = sse;
        R2 = r2;
        // Without weights SSE/m is the mean squared residual; with weights SSE is in units of the weights, so the RMSE is taken
        // over the plain residuals (observed − fitted) to stay in the metric's units.
        Rmse = data.Weights is null ? Math.Sqrt(sse / data.Count) : Math.Sqrt(Residuals.Sum(r => r * r) / data.Count);
        Identifiability = identifiability;
        Iterations = iterations;
        Descents = descents;
        Converged = converged;
    }

    public ILawModel Model { get; }
    public FitData Data { get; }
    public IReadOnlyList<string> Names => Model.Parameters.Select(p => p.Name).ToList();
    public double[] Values { get; }
    public double?[] StandardErrors { get; }
    public double[] Fitted { get; }
    /// <summary>Observed minus fitted.</summary>
    public double[] Residuals { get; }
    /// <summary>Σ w·r² (Σ r² without weights).</summary>
    public double Sse { get; }

    /// <summary>Fitted with per-point weights (<see cref="FitData.Weights"/>).</summary>
    public bool Weighted => Data.Weights is not null;
    public double Rmse { get; }
    public double R2 { get; }
    public IdentifiabilityReport Identifiability { get; }
    public IReadOnlyList<string> NotIdentifiable => Identifiability.NotIdentifiable;
    /// <summary>Identified parameters on a bound or with a standard error above their value (<see cref="FitWarnings"/>).</summary>
    public IReadOnlyList<FitWarning> Warnings => field ??= FitWarnings.Of(this);
    public int Iterations { get; }
    public int Descents { get; }
    public bool Converged { get; }

    public double this[string name] => Values[IndexOf(name)];

    public double? StandardError(string name) => StandardErrors[IndexOf(name)];

    public bool IsIdentifiable(string name) => !NotIdentifiable.Contains(name);

    /// <summary>Correlation of two parameters' estimates (NaN when either is not identifiable).</summary>
    public double Correlation(string a, string b)
    {
        int i = IndexOf(a), j = IndexOf(b);
        var c = Identifiability.Covariance;
        return !IsIdentifiable(a) || !IsIdentifiable(b) ? double.NaN : c[i, j] / Math.Sqrt(c[i, i] * c[j, j]);
    }

    /// <summary>Pairs of identified parameters whose estimates correlate beyond ±<paramref name="threshold"/>: each is pinned
    /// down only given the other (large standard errors follow).</summary>
    public IReadOnlyList<(string A, string B, double Correlation)> StrongCorrelations(double threshold = 0.99)
    {
        var pairs = new List<(string, string, double)>();
        var names = Names;
        for (var i = 0; i < names.Count; i++)
        for (var j = i + 1; j < names.Count; j++)
        {
            var r = Correlation(names[i], names[j]);
            if (double.IsFinite(r) && Math.Abs(r) > threshold) pairs.Add((names[i], names[j], r));
        }
        return pairs;
    }

    public double Predict(params double[] x) => Model.Value(x, Values);

    private int IndexOf(string name)
    {
        for (var j = 0; j < Model.Parameters.Count; j++)
            if (Model.Parameters[j].Name == name) return j;
        throw new KeyNotFoundException($"The law has no parameter '{name}' (it has {string.Join(", ", Names)}).");
    }
}
