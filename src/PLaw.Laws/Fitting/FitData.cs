namespace PLaw.Laws.Fitting;

/// <summary>Observations for a fit: <see cref="Count"/> rows of <see cref="Width"/> inputs and one value each.</summary>
public sealed class FitData
{
    private readonly double[] inputs; // [Count, Width], row-major

    public FitData(int width, double[] inputs, double[] values)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width));
        if (inputs.Length != width * values.Length)
            throw new ArgumentException($"{inputs.Length} inputs for {values.Length} values of width {width}.", nameof(inputs));
        Width = width;
        this.inputs = inputs;
        Values = values;
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

    public ReadOnlySpan<double> Input(int i) => inputs.AsSpan(i * Width, Width);

    /// <summary>The rows at <paramref name="indices"/> (repeats allowed: a bootstrap resample).</summary>
    public FitData Select(IReadOnlyList<int> indices)
    {
        var flat = new double[indices.Count * Width];
        var values = new double[indices.Count];
        for (var r = 0; r < indices.Count; r++)
        {
            Input(indices[r]).CopyTo(flat.AsSpan(r * Width, Width));
            values[r] = Values[indices[r]];
        }
        return new FitData(Width, flat, values);
    }

    public string Describe(int i, IReadOnlyList<string> names)
    {
        var x = Input(i).ToArray();
        return string.Join(", ", Enumerable.Range(0, Width).Select(j => $"{(j < names.Count ? names[j] : $"x{j}")} {x[j]:G6}"));
    }
}
