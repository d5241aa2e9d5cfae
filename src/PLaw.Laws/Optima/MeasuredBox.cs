namespace PLaw.Laws.Optima;

/// <summary>
/// The depths and widths the runs measured: a law is checked only inside this box, so a candidate outside it is an
/// extrapolation. Searches default to the box widened by a stated factor (<see cref="Widened"/>) instead of a fixed 1:64 × 8:1024,
/// which let a 3 × 3 grid up to width 32 name width 1024 as the optimum.
/// </summary>
public sealed record MeasuredBox(int MinLayers, int MaxLayers, int MinDim, int MaxDim)
{
    public const double DefaultFactor = 2;

    public static MeasuredBox Of(IEnumerable<(int Layers, int Dim)> configurations)
    {
        var list = configurations.ToList();
        if (list.Count == 0) throw new ArgumentException("no measured configuration: the measured range is empty.");
        return new MeasuredBox(list.Min(c => c.Layers), list.Max(c => c.Layers), list.Min(c => c.Dim), list.Max(c => c.Dim));
    }

    public bool Contains(int layers, int dim) => layers >= MinLayers && layers <= MaxLayers && dim >= MinDim && dim <= MaxDim;

    /// <summary>The search space reaching <paramref name="factor"/>× beyond the box each way: layers ⌊min/f⌋…⌈max·f⌉ (at least 1),
    /// widths likewise, on the width grid (the box's own widths are kept reachable by widening to the grid outward).</summary>
    public SearchSpace Widened(double factor = DefaultFactor, int? heads = null, int dimStep = 1)
    {
        if (!double.IsFinite(factor) || factor < 1) throw new ArgumentException($"extrapolation factor {factor}: expected a number ≥ 1 (1 = the measured range only).");
        var grid = heads is { } h ? Lcm(dimStep, h) : dimStep;
        var minDim = Math.Max(grid, (int)Math.Floor(MinDim / factor / grid) * grid);
        var maxDim = Math.Max(minDim, (int)Math.Ceiling(MaxDim * factor / grid) * grid);
        return new SearchSpace(Math.Max(1, (int)Math.Floor(MinLayers / factor)), (int)Math.Ceiling(MaxLayers * factor), minDim, maxDim, heads, dimStep);
    }

    public string Describe() => $"{Range(MinLayers, MaxLayers)} layers × width {Range(MinDim, MaxDim)}";

    private static string Range(int min, int max) => min == max ? $"{min}" : $"{min}–{max}";

    private static int Lcm(int a, int b)
    {
        int x = a, y = b;
        while (y != 0) (x, y) = (y, x % y);
        return a / x * b;
    }
}
