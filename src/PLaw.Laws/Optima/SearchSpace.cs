namespace PLaw.Laws.Optima;

/// <summary>
/// The integer (layers, dim) grid searched: n ∈ [MinLayers, MaxLayers], d ∈ [MinDim, MaxDim] on multiples of
/// <see cref="DimStep"/> (the width grid: the dashboard and CLI use 8, so candidates differ by whole hardware-friendly steps,
/// not by 1015…1024); with <see cref="Heads"/> only widths divisible by the head count.
/// </summary>
public sealed record SearchSpace(int MinLayers = 1, int MaxLayers = 64, int MinDim = 8, int MaxDim = 1024, int? Heads = null, int DimStep = 1)
{
    public IEnumerable<int> LayerValues() => Enumerable.Range(MinLayers, MaxLayers - MinLayers + 1);

    public IEnumerable<int> DimValues() =>
        Enumerable.Range(MinDim, MaxDim - MinDim + 1).Where(d => d % DimStep == 0 && (Heads is not { } h || d % h == 0));

    public void Validate()
    {
        if (MinLayers < 1 || MaxLayers < MinLayers) throw new ArgumentException($"layers range {MinLayers}:{MaxLayers}: expected 1 ≤ min ≤ max.");
        if (MinDim < 1 || MaxDim < MinDim) throw new ArgumentException($"dim range {MinDim}:{MaxDim}: expected 1 ≤ min ≤ max.");
        if (Heads is < 1) throw new ArgumentException($"heads {Heads}: expected a positive count.");
        if (DimStep < 1) throw new ArgumentException($"width step {DimStep}: expected a positive step.");
        if (!DimValues().Any())
            throw new ArgumentException($"no width in {MinDim}:{MaxDim} is a multiple of the width step {DimStep}" +
                                        (Heads is { } h ? $" and divisible by {h} heads." : "."));
    }
}
