namespace PLaw.Laws.Optima;

/// <summary>The integer (layers, dim) grid searched: n ∈ [MinLayers, MaxLayers], d ∈ [MinDim, MaxDim]; with
/// <see cref="Heads"/> only widths divisible by the head count.</summary>
public sealed record SearchSpace(int MinLayers = 1, int MaxLayers = 64, int MinDim = 8, int MaxDim = 1024, int? Heads = null)
{
    public IEnumerable<int> LayerValues() => Enumerable.Range(MinLayers, MaxLayers - MinLayers + 1);

    public IEnumerable<int> DimValues() =>
        Enumerable.Range(MinDim, MaxDim - MinDim + 1).Where(d => Heads is not { } h || d % h == 0);

    public void Validate()
    {
        if (MinLayers < 1 || MaxLayers < MinLayers) throw new ArgumentException($"layers range {MinLayers}:{MaxLayers}: expected 1 ≤ min ≤ max.");
        if (MinDim < 1 || MaxDim < MinDim) throw new ArgumentException($"dim range {MinDim}:{MaxDim}: expected 1 ≤ min ≤ max.");
        if (Heads is < 1) throw new ArgumentException($"heads {Heads}: expected a positive count.");
        if (!DimValues().Any()) throw new ArgumentException($"no width in {MinDim}:{MaxDim} is divisible by {Heads} heads.");
    }
}
