namespace PLaw.Laws.Optima;

/// <summary>
/// Non-embedding parameter counts per model family (docs/models.md §5), as <c>Func&lt;layers, dim, long&gt;</c> for
/// <see cref="MaxParameters"/>. Per block, plus the final norm; item embeddings and position rows are excluded.
/// Equal to the engine's exact counts (tests/PLaw.Laws.Tests/Optima/ParameterCountsMatchTheEngineTests.cs).
/// </summary>
public static class ParameterCounts
{
    /// <summary>PM-SASRec (pmixer): per block 6d² + 10d (attention in/out projections with biases, two LNs, point-wise FFN), final LN 2d.</summary>
    public static long PmSasrec(int layers, int dim) => layers * (6L * dim * dim + 10L * dim) + 2L * dim;

    /// <summary>PL-HSTU (P-Law code): per block 5d² + 2d (q, k, v, u, o projections; RMSNorm γ on input and on O), final RMSNorm d.</summary>
    public static long PlHstu(int layers, int dim) => layers * (5L * dim * dim + 2L * dim) + dim;

    /// <summary>LLaMA: per block 4d² + 3dm + 2d with SwiGLU hidden m = 32·⌈⌊8d/3⌋/32⌉, final RMSNorm d.</summary>
    public static long Llama(int layers, int dim)
    {
        long m = SwigluHidden(dim);
        return layers * (4L * dim * dim + 3L * dim * m + 2L * dim) + dim;
    }

    /// <summary>m = 32·⌈⌊8d/3⌋/32⌉ (d = 512 → 1376).</summary>
    public static int SwigluHidden(int dim) => 32 * (int)Math.Ceiling(8 * dim / 3 / 32.0);

    public static readonly IReadOnlyDictionary<string, Func<int, int, long>> ByFamily = new Dictionary<string, Func<int, int, long>>(StringComparer.OrdinalIgnoreCase)
    {
        ["pm-sasrec"] = PmSasrec,
        ["pl-hstu"] = PlHstu,
        ["llama"] = Llama,
    };

    public static Func<int, int, long> ForFamily(string family) =>
        ByFamily.TryGetValue(family, out var count) ? count
            : throw new ArgumentException($"unknown model family '{family}': expected one of {string.Join(", ", ByFamily.Keys)}.", nameof(family));
}
