using PLaw.Laws;

namespace PLaw.Laws.Fitting.Models;

/// <summary>A model with some parameters held at given values; the rest are fitted. Used for per-dataset D at shared w5, b.</summary>
public sealed class FixedParametersModel : ILawModel
{
    private readonly ILawModel inner;
    private readonly int[] free;           // inner index of each free parameter
    private readonly double[] template;    // inner parameter vector with fixed values filled in
    private readonly Func<FitData, IEnumerable<double[]>>? starts;

    public FixedParametersModel(ILawModel inner, IReadOnlyDictionary<string, double> fixedValues, Func<FitData, IEnumerable<double[]>>? starts = null)
    {
        this.inner = inner;
        this.starts = starts;
        template = new double[inner.Parameters.Count];
        var freeList = new List<int>();
        for (var j = 0; j < inner.Parameters.Count; j++)
        {
            if (fixedValues.TryGetValue(inner.Parameters[j].Name, out var value)) template[j] = value;
            else freeList.Add(j);
        }
        if (fixedValues.Keys.Any(n => inner.Parameters.All(p => p.Name != n)))
            throw new ArgumentException($"unknown parameter among {string.Join(", ", fixedValues.Keys)}.", nameof(fixedValues));
        free = freeList.ToArray();
        Parameters = free.Select(j => inner.Parameters[j]).ToList();
    }

    public IReadOnlyList<ParameterSpec> Parameters { get; }
    public IReadOnlyList<string> InputNames => inner.InputNames;

    public double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> p) => inner.Value(x, Expand(p));

    public void Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> p, Span<double> dp)
    {
        Span<double> all = stackalloc double[template.Length];
        inner.Gradient(x, Expand(p), all);
        for (var j = 0; j < free.Length; j++) dp[j] = all[free[j]];
    }

    public string? InvalidInput(ReadOnlySpan<double> x) => inner.InvalidInput(x);

    public IEnumerable<double[]> Starts(FitData data) =>
        starts?.Invoke(data) ?? inner.Starts(data).Select(s => free.Select(j => s[j]).ToArray());

    /// <summary>The inner model's full parameter vector for the free values <paramref name="p"/>.</summary>
    public double[] Expand(ReadOnlySpan<double> p)
    {
        var all = (double[])template.Clone();
        for (var j = 0; j < free.Length; j++) all[free[j]] = p[j];
        return all;
    }
}
