using PLaw.Engine.Models;
using PLaw.Engine.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// HSTU as in meta-recsys/generative-recommenders (Zhai et al. 2024; models.md §3a), the native
/// <c>HstuReference&lt;T&gt;</c> on libtorch:
///   x = √d E[s_t] + P[t − start] (t counted from the oldest real item), dropout, pad rows zeroed;
///   per block: Z = LN₀(X); [U, V, Q, K] = SiLU(Z W); A = SiLU(QKᵀ + R)/N ⊙ C; Y = X + W_o·Drop(U ⊙ LN₀(A V)) + b_o;
///   output L2-normalised. LN₀ has no affine, ε = 1e-6. R_ij = w_pos[N−1+j−i] + w_ts[b(τ_{i+1} − τ_j)].
/// The port's deviations (src/PLaw.Engine/README.md): left pads are masked as keys (C_ij = 1[start ≤ j ≤ i]); N = L;
/// without timestamps every Δ falls in bucket 0.
/// Ablations as the native model (<see cref="HstuAblation"/>): rab drops R; silu makes A = softmax(QKᵀ/√d_h + R) over the
/// live keys; gate drops U (the projection is V, Q, K) and the output is W_o·Drop(LN₀(A V)) + b_o.
/// </summary>
public sealed class TorchHstuReference(RunOptions options, int itemCount, Device device, ScalarType dtype)
    : TorchSequenceModel(options, itemCount, device, dtype)
{
    private const double NormEpsilon = 1e-6;
    private const double OutputEpsilon = 1e-6;
    private Tensor? _causal, _relative;
    private long _length = -1;
    private readonly HstuAblation _ablation = HstuAblations.Of(options);

    public override Tensor Forward(TorchBatch batch, bool training)
    {
        using var scope = NewDisposeScope();
        int d = Options.Dim, n = batch.Count;
        long l = batch.Length;
        Window(l);

        // Left pads: a slot is "started" from the sequence's first real item on; positions and keys count from there.
        var pad = batch.Inputs.eq(0).reshape(-1, 1);                                               // [B·L, 1]
        var started = batch.Inputs.ne(0).cumsum(1).gt(0);                                           // [B, L]: t ≥ start_b
        var positions = started.cumsum(1).sub(1).clamp_min(0).reshape(-1);                         // t − start_b
        var live = _causal!.logical_and(started.unsqueeze(1));                                      // [B, L, L]: start_b ≤ j ≤ i
        var rab = !_ablation.HasFlag(HstuAblation.Rab);
        var gate = !_ablation.HasFlag(HstuAblation.Gate);
        var softmax = _ablation.HasFlag(HstuAblation.Silu);
        var buckets = !rab ? null
            : batch.HasTimes
                ? HstuTimeBuckets.Of(batch.TargetTimes!, batch.InputTimes!)                         // b(τ_{i+1} − τ_j)
                : zeros([n, l, l], ScalarType.Int64, Device);
        // Columns of the fused projection: U, V, Q, K (V, Q, K without the gate); α = 1, or 1/√d_h for the softmax.
        var (v, q, k) = gate ? (d, 2 * d, 3 * d) : (0, d, 2 * d);
        var alpha = softmax ? 1 / Math.Sqrt(d / Options.Heads) : 1;

        // x = √d E[s] + P[t − start], dropout, pads zeroed                                         [B·L, d]
        var x = HstuLayers.Lookup(ItemEmbedding(), batch.Inputs, Math.Sqrt(d))
            .add(P("pos_emb").index_select(0, positions).masked_fill(started.reshape(-1, 1).logical_not(), 0));
        x = F.dropout(x, Options.DropoutOf(0), training).masked_fill(pad, 0);

        for (var i = 0; i < Options.Layers; i++)
        {
            var p = $"blocks.{i}.";
            var uvqk = F.silu(F.linear(HstuLayers.LayerNorm0(x, NormEpsilon), P(p + (gate ? "uvqk" : "vqk"))));   // [B·L, 4d]: U, V, Q, K
            var positionBias = rab ? P(p + "rab.w_pos").reshape(-1).index_select(0, _relative!.reshape(-1)).view(l, l) : null;
            var timeBias = rab ? P(p + "rab.w_ts").reshape(-1).index_select(0, buckets!.reshape(-1)).view(n, l, l) : null;
            var o = HstuPointwiseAttention.Forward(q: uvqk.narrow(1, q, d), k: uvqk.narrow(1, k, d),
                v: uvqk.narrow(1, v, d), n, Options.Heads, alpha, beta: 1.0 / l, live, positionBias, timeBias,
                dropout: 0, training, softmax);
            var normed = HstuLayers.LayerNorm0(o, NormEpsilon);
            var gated = F.dropout(gate ? normed.mul(uvqk.narrow(1, 0, d)) : normed, Options.DropoutOf(i), training);
            x = x.add(F.linear(gated, P(p + "o.weight"), P(p + "o.bias").reshape(-1)));
        }
        return HstuLayers.L2Normalize(x, OutputEpsilon).MoveToOuterDisposeScope();
    }

    /// <summary>The causal mask C and the relative-position index N − 1 + j − i, [L, L], for the window length.</summary>
    private void Window(long length)
    {
        if (length == _length) return;
        _causal?.Dispose();
        _relative?.Dispose();
        _causal = HstuPointwiseAttention.Causal(length, Device).DetachFromDisposeScope();
        using var t = arange(length, ScalarType.Int64, Device);
        _relative = t.unsqueeze(0).sub(t.unsqueeze(1)).add(length - 1).DetachFromDisposeScope();
        _length = length;
    }

    public override void Dispose()
    {
        _causal?.Dispose();
        _relative?.Dispose();
        base.Dispose();
    }
}
