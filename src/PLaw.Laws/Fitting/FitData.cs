namespace PLaw.Laws.Fitting;

/// <summary>
/// Observations for a fit: <see cref="Count"/> rows of <see cref="Width"/> inputs and one value each, and optionally a weight
/// per row (weighted least squares minimises Σ wᵢ·rᵢ², i.e. the residuals √wᵢ·rᵢ; with w = 1/SE² each row counts by how
/// precisely it is known). Null weights are ordinary least squares, computed exactly as before weights existed.
/// </summary>
public sealed class FitData
{
    private readonly double[] inputs; // [Count, Width], row-major

    public FitData(int width, double[] inputs, double[] values, double[]? weights = null)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width));
        if (inputs.Length != width * values.Length)
            throw new ArgumentException($"{inputs.Length} inputs for {values.Length} values of width {width}.", nameof(inputs));
        if (weights is not null)
        {
            if (weights.Length != values.Length)
                throw new ArgumentException($"{weights.Length} weights for {values.Length} values.", nameof(weights));
            for (var i = 0; i < weights.Length; i++)
                if (!double.IsFinite(weights[i]) || weights[i] <= 0)
                    throw new ArgumentException($"weight {i + 1} is {weights[i]}: expected a finite number above 0.", nameof(weights));
        }
        Width = width;
        this.inputs = inputs;
        Values = values;
        Weights = weights;
    }

    /// <summary>From rows: each row is the inputs of one observation.</summary>
    public static FitData FromRows(IReadOnlyList<double[]> rows, IReadOnlyList<double> values)
    {
        if (rows.Count != values.Count) throw new ArgumentException($"{rows.Count} input rows for {values.Count} values.", nameof(values));
        var width = rows.Count > 0 ? rows[0].Length : 1;
        var flat = new double[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != width) throw new ArgumentException($"row {i} has {rows[i].Length} inputs, expected {width}.", nameof(rows));
            rows[i].CopyTo(flat, i * width);
        }
        return new FitData(width, flat, values.ToArray());
    }

    public int Width { get; }
    public int Count => Values.Length;
    public double[] Values { get; }

    /// <summary>Per-row weights (w = 1/SE² for means of seeds), or null: every row counts once.</summary>
    public double[]? Weights { get; }

    /// <summary>The same rows with <paramref name="weights"/> (null: unweighted).</summary>
    public FitData WithWeights(double[]? weights) => new(Width, inputs, Values, weights);

    public ReadOnlySpan<double> Input(int i) => inputs.AsSpan(i * Width, Width);

    /// <summary>The rows at <paramref name="indices"/> (repeats allowed: a bootstrap resample).</summary>
    public FitData Select(IReadOnlyList<int> indices)
    {
        var flat = new double[indices.Count * Width];
        var values = new double[indices.Count];
        var weights = Weights is null ? null : new double[indices.Count];
        for (var r = 0; r < indices.Count; r++)
        {
            Input(indices[r]).CopyTo(flat.AsSpan(r * Width, Width));
            values[r] = Values[indices[r]];
            if (weights is not null) weights[r] = Weights![indices[r]];
        }
        return new FitData(Width, flat, values, weights);
    }

    public string Describe(int i, IReadOnlyList<string> names)
    {
        var x = Input(i).ToArray();
        return string.Join(", ", Enumerable.Range(0, Width).Select(j => $"{(j < names.Count ? names[j] : $"x{j}")} {x[j]:G6}"));
    }
}
