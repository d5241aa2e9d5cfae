using PLaw.Engine.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// The LLaMA-style decoder on libtorch, step for step the native <see cref="PLaw.Engine.Models.Llama{T}"/>
/// (P-Law <c>LLaMA2_SASRec</c>; Touvron et al. 2023; models.md §4):
///   x⁰ = Drop(√d E[s]);  h = x + Drop(W_o·Attn(RoPE(W_q z), RoPE(W_k z), W_v z)), z = RMSNorm x;
///   x' = h + Drop(W₂(SiLU(W₁z₂) ⊙ W₃z₂)), z₂ = RMSNorm h;  output RMSNorm(x^N), ε = 1e-5.
/// Attn is causal softmax(q kᵀ/√d_h) with dropout on the weights and kv heads = heads. As in P-Law there is no padding
/// mask: real positions attend to the left pads, which read E[0], and E[0] gets no gradient (padding_idx = 0). The
/// causal diagonal is always a valid key, so no softmax row is empty.
/// </summary>
public sealed class TorchLlama : TorchSequenceModel
{
    private const double NormEpsilon = 1e-5;
    private readonly Rotary _rotary;
    private readonly BlockNames[] _blocks;

    public TorchLlama(RunOptions options, int itemCount, Device device, ScalarType dtype)
        : base(options, itemCount, device, dtype)
    {
        // RunOptions.Validate has already required an even head size d/H for RoPE.
        _rotary = new Rotary(options.Dim / options.Heads, dtype, device);
        _blocks = Enumerable.Range(0, options.Layers).Select(i => new BlockNames($"blocks.{i}.")).ToArray();
    }

    public override Tensor Forward(TorchBatch batch, bool training)
    {
        int d = Options.Dim;
        var ids = batch.Inputs.reshape(-1);                                                  // [B·L]
        var x = F.dropout(Embed(ids) * Math.Sqrt(d), Options.DropoutOf(0), training);       // [B·L, d]
        for (var i = 0; i < Options.Layers; i++)
        {
            var (n, dropout) = (_blocks[i], Options.DropoutOf(i));
            var a = Attention(RmsNorm(x, n.AttnNorm), n.Qkv, batch.Count, batch.Length, dropout, training);
            var h = x + F.dropout(Linear(a, n.Wo), dropout, training);
            var z = RmsNorm(h, n.FfnNorm);
            var gated = F.silu(Linear(z, n.W1)) * Linear(z, n.W3);                              // [B·L, m]
            x = h + F.dropout(Linear(gated, n.W2), dropout, training);
        }
        return RmsNorm(x, "norm.gamma");
    }

    /// <summary>E[id] for every position; pad rows read E[0] but pass no gradient to it (padding_idx = 0).</summary>
    private Tensor Embed(Tensor ids)
    {
        var rows = ItemEmbedding().index_select(0, ids);
        return where(ids.eq(0).unsqueeze(1), rows.detach(), rows);
    }

    /// <summary>y = γ ⊙ x / √(mean(x²) + ε) per row (Zhang &amp; Sennrich 2019).</summary>
    private Tensor RmsNorm(Tensor x, string gamma) =>
        x * (x.square().mean([-1], keepdim: true) + NormEpsilon).rsqrt() * P(gamma);

    /// <summary>y = x Wᵀ, W stored [out, in] as torch.nn.Linear (no biases in LLaMA).</summary>
    private Tensor Linear(Tensor x, string weight) => x.matmul(P(weight).t());

    /// <summary>
    /// Multi-head causal attention on z [B·L, d] → [B·L, d] (heads concatenated, before W_o). The fused projection gives
    /// q, k, v at columns [0, d), [d, 2d), [2d, 3d), head h at h·d_h within each; RoPE on q and k only.
    /// </summary>
    private Tensor Attention(Tensor z, string wqkv, long count, long length, double dropout, bool training)
    {
        int heads = Options.Heads, dh = Options.Dim / heads;
        var qkv = Linear(z, wqkv).view(count, length, 3, heads, dh);
        var q = _rotary.Rotate(qkv.select(2, 0), length).transpose(1, 2);                       // [B, H, L, d_h]
        var k = _rotary.Rotate(qkv.select(2, 1), length).transpose(1, 2);
        var v = qkv.select(2, 2).transpose(1, 2);
        // S = q kᵀ/√d_h with S_ij = −∞ for j > i;  P = softmax_j S;  O = Drop(P) v
        using var future = ones(length, length, ScalarType.Bool, Device).triu(1);
        var scores = q.matmul(k.transpose(-2, -1)) * (1 / Math.Sqrt(dh));
        var weights = F.dropout(F.softmax(scores.masked_fill(future, double.NegativeInfinity), -1), dropout, training);
        return weights.matmul(v).transpose(1, 2).reshape(count * length, heads * dh);
    }

    /// <summary>A block's parameter names in the native layout (<c>Llama&lt;T&gt;</c>), built once.</summary>
    private sealed record BlockNames(string Prefix)
    {
        public string AttnNorm { get; } = Prefix + "attention_norm.gamma";
        public string Qkv { get; } = Prefix + "attention.wqkv";
        public string Wo { get; } = Prefix + "attention.wo";
        public string FfnNorm { get; } = Prefix + "ffn_norm.gamma";
        public string W1 { get; } = Prefix + "feed_forward.w1";
        public string W3 { get; } = Prefix + "feed_forward.w3";
        public string W2 { get; } = Prefix + "feed_forward.w2";
    }

    public override void Dispose()
    {
        _rotary.Dispose();
        base.Dispose();
    }
}
