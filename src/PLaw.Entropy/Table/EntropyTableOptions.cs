namespace PLaw.Entropy;

/// <summary>Which rows to compute (one per max length L) and the ApEn parameters; chunks are for the pooled estimators.</summary>
public sealed record EntropyTableOptions(IReadOnlyList<int> MaxLengths, int M = 2, int R = 0, int ChunkTokens = 10_000)
{
    /// <summary>P-Law's settings: L ∈ {25, 50, 100, 200}, m = 2, r = 0.</summary>
    public static EntropyTableOptions Default { get; } = new([25, 50, 100, 200]);

    public void Validate()
    {
        if (MaxLengths.Count == 0) throw new ArgumentException("Give at least one max length L.");
        for (var i = 0; i < MaxLengths.Count; i++)
            if (MaxLengths[i] < 1) throw new ArgumentException($"Max lengths must be ≥ 1, got {string.Join(", ", MaxLengths)}.");
        if (M < 1) throw new ArgumentException($"ApEn m must be ≥ 1, got {M}.");
        if (R < 0) throw new ArgumentException($"ApEn r must be ≥ 0, got {R}.");
        if (ChunkTokens < 10) throw new ArgumentException($"Chunks must hold at least 10 tokens, got {ChunkTokens}.");
    }
}
