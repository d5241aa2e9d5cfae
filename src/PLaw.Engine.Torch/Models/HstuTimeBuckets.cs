using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// GR's log-spaced time buckets for the relative attention bias (models.md §3a), as tensor ops:
///   b(Δ) = clamp(⌊ln(max(|Δ|, 1)) / 0.301⌋, 0, 128), with Δ_ij = τ_{i+1} − τ_j (the target's time minus key j's).
/// Always computed in float64, whatever the model's dtype, so both backends and both precisions bucket alike
/// (the native <c>HstuAttention&lt;T&gt;.Bucket</c> works in double).
/// </summary>
public static class HstuTimeBuckets
{
    public const int Last = 128;

    /// <summary>b(Δ) elementwise for int64 deltas; int64 buckets of the same shape.</summary>
    public static Tensor Of(Tensor delta) =>
        delta.to(ScalarType.Float64).abs().clamp_min(1).log().div(0.301).floor().clamp(0, Last).to(ScalarType.Int64);

    /// <summary>b(τ_{i+1} − τ_j) per sequence, [B, L, L], from target and input times [B, L].</summary>
    public static Tensor Of(Tensor targetTimes, Tensor inputTimes) =>
        Of(targetTimes.unsqueeze(2).sub(inputTimes.unsqueeze(1)));
}
