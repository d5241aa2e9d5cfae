using PLaw.Engine.Models;

namespace PLaw.Engine.Training;

/// <summary>Exact parameter counts: embedding tables (items, positions) and everything else.</summary>
public readonly record struct ParameterCounts(long Embedding, long NonEmbedding)
{
    public long Total => Embedding + NonEmbedding;
}

/// <summary>
/// Parameter counts as a static function of the options and the item count, without building a model (models.md §5).
/// A test checks these against every family's real parameter store.
/// </summary>
public static class ParameterCount
{
    public static ParameterCounts Of(RunOptions o, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(o);
        // Ranking: the HSTU backbone over I + 2 token ids (two actions) and a window of 2L tokens, plus the head w, b.
        if (o.Task == RunTask.Ranking)
        {
            var backbone = Of(o with { Task = RunTask.Retrieval, MaxLength = 2 * o.MaxLength }, itemCount + 2);
            return new(backbone.Embedding, backbone.NonEmbedding + o.Dim + 1);
        }
        long d = o.Dim, h = o.Heads, l = o.MaxLength, n = o.Layers, items = itemCount + 1L;
        return o.Model switch
        {
            // (I+1)d item table + (L+1)d positions; block: in-proj 3d²+3d, out-proj d²+d, FFN 2d²+2d, two LNs 4d; final LN 2d.
            // Kang's original layout has no out-proj.
            ModelFamily.Sasrec when o.ResolvedVariant == Variants.Original => new(items * d + (l + 1) * d, n * (5 * d * d + 9 * d) + 2 * d),
            ModelFamily.Sasrec => new(items * d + (l + 1) * d, n * (6 * d * d + 10 * d) + 2 * d),
            // GR HSTU: (I+1)d + L·d positions; block: W d×4d, W_o d²+d, w_pos 2L−1, w_ts 129; no final norm.
            // Ablations: no gate drops U's d² from W; no rab drops w_pos and w_ts; softmax attention has no parameters.
            ModelFamily.Hstu when o.ResolvedVariant == Variants.Reference =>
                new(items * d + l * d, n * (Projections(o) * d * d + d * d + d + (Ablated(o, HstuAblation.Rab) ? 0 : 2 * l - 1 + HstuTimeBuckets))),
            // P-Law HSTU: block RMSNorm γ d + W_q,k,v,u,o 5d² + output RMSNorm γ d; final RMSNorm d (no gate: no W_u).
            ModelFamily.Hstu => new(items * d, n * ((Projections(o) + 1) * d * d + 2 * d) + d),
            // LLaMA: block 4d² attention + 3dm SwiGLU + 2d norms; final RMSNorm d.
            _ => new(items * d, n * (4 * d * d + 3 * d * SwiGluHidden(o.Dim) + 2 * d) + d),
        };
    }

    // HSTU's fused input projection: U, V, Q, K, or V, Q, K without the U gate.
    private static long Projections(RunOptions o) => Ablated(o, HstuAblation.Gate) ? 3 : 4;

    private static bool Ablated(RunOptions o, HstuAblation component) => HstuAblations.Of(o).HasFlag(component);

    /// <summary>Time-difference buckets of the HSTU relative bias: b(Δ) ∈ 0..128.</summary>
    public const int HstuTimeBuckets = 129;

    /// <summary>LLaMA SwiGLU hidden width m = 32·⌈⌊8d/3⌋/32⌉ (d = 512 → 1376).</summary>
    public static int SwiGluHidden(int dim) => 32 * ((8 * dim / 3 + 31) / 32);

    /// <summary>HSTU head size (d_qk = d_v = d / H).</summary>
    public static int HeadSize(RunOptions o) => o.Dim / o.Heads;
}
