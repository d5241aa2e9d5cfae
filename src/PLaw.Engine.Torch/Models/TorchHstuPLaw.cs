using PLaw.Engine.Models;
using PLaw.Engine.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// HSTU as P-Law trained it (USTC-StarTeam/Performance-Law <c>HSTU_SASRec</c>; models.md §3b), the native
/// <c>HstuPLaw&lt;T&gt;</c> on libtorch:
///   x⁰ = √d E[s], dropout (no positions, no timestamps); block x' = x + Attn(RMSNorm x); final RMSNorm.
///   Attn(z): z̃ = SiLU(z); q, k, v, u = z̃W_q, z̃W_k, z̃W_v, z̃W_u (fused [4d, d], no bias); RoPE(q, k);
///   A = SiLU(q kᵀ/√d_h) ⊙ C; Drop(A); O = A V; O = RMSNorm(O) ⊙ u; out = Drop(O W_o).
/// No padding mask (real tokens attend to the left pads, which read the non-zero E[0]); E[0] gets no gradient. ε = 1e-5.
/// Ablations as the native model (<see cref="HstuAblation"/>): silu makes A = softmax(q kᵀ/√d_h) over the causal keys;
/// gate drops u (the projection is q, k, v) and O = RMSNorm(O).
/// </summary>
public sealed class TorchHstuPLaw : TorchSequenceModel
{
    private const double NormEpsilon = 1e-5;
    private readonly Rotary _rope;
    private Tensor? _causal;
    private readonly HstuAblation _ablation;

    public TorchHstuPLaw(RunOptions options, int itemCount, Device device, ScalarType dtype)
        : base(options, itemCount, device, dtype)
    {
        // The base builds the native layout, which refuses a rab ablation here (this variant has no relative bias).
        _rope = new Rotary(options.Dim / options.Heads, dtype, device);
        _ablation = HstuAblations.Of(options);
    }

    public override Tensor Forward(TorchBatch batch, bool training)
    {
        using var scope = NewDisposeScope();
        int d = Options.Dim, n = batch.Count;
        long l = batch.Length;
        if (_causal is null || _causal.shape[0] != l)
        {
            _causal?.Dispose();
            _causal = HstuPointwiseAttention.Causal(l, Device).DetachFromDisposeScope();
        }

        var x = F.dropout(HstuLayers.Lookup(ItemEmbedding(), batch.Inputs, Math.Sqrt(d)), Options.DropoutOf(0), training); // [B·L, d]
        var alpha = 1 / Math.Sqrt(d / Options.Heads);
        var gate = !_ablation.HasFlag(HstuAblation.Gate);
        for (var i = 0; i < Options.Layers; i++)
        {
            var p = $"blocks.{i}.";
            var z = F.silu(HstuLayers.RmsNorm(x, P(p + "norm.gamma"), NormEpsilon));
            var qkvu = F.linear(z, P(p + (gate ? "qkvu" : "qkv")));                              // [B·L, 4d]: q, k, v, u (3d: no u)
            var qk = _rope.Rotate(qkvu.narrow(1, 0, 2 * d), l);
            var o = HstuPointwiseAttention.Forward(q: qk.narrow(1, 0, d), k: qk.narrow(1, d, d), v: qkvu.narrow(1, 2 * d, d),
                n, Options.Heads, alpha, beta: 1, _causal, positionBias: null, timeBias: null, Options.DropoutOf(i), training,
                softmax: _ablation.HasFlag(HstuAblation.Silu));
            var normed = HstuLayers.RmsNorm(o, P(p + "o_norm.gamma"), NormEpsilon);
            var gated = gate ? normed.mul(qkvu.narrow(1, 3 * d, d)) : normed;
            x = x.add(F.dropout(F.linear(gated, P(p + "o.weight")), Options.DropoutOf(i), training));
        }
        return HstuLayers.RmsNorm(x, P("final_norm.gamma"), NormEpsilon).MoveToOuterDisposeScope();
    }

    public override void Dispose()
    {
        _rope.Dispose();
        _causal?.Dispose();
        base.Dispose();
    }
}
