using PLaw.Engine.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// SASRec on libtorch, the four layouts of the native <see cref="PLaw.Engine.Models.Sasrec{T}"/> (models.md §2,
/// src/PLaw.Engine/README.md "SASRec layouts"), with the native parameter names and the native pad handling:
///   x = √d·E[s_t] + P[p_t] (p_t = t + 1 for items, 0 for pads; E[0], P[0] are read but get no gradient), dropout;
///   post-LN: y = LN(x + MHA(x)); x' = LN(y + FFN(y));  pre-LN: y = x + MHA(LN x); x' = y + FFN(LN y);
///   original(-proj): q = LN(x); z = LN(q + MHA(Q = q, K = V = x)); x' = (z + FFN(z)) ⊙ m, m_t = 1[s_t ≠ 0];
///   FFN(z) = Drop(W₂·Drop(ReLU(W₁z + b₁)) + b₂); final LN; LN ε = 1e-8.
/// MHA is causal softmax attention with scale 1/√d_h and dropout on the weights. The post/pre-LN layouts (pmixer) have
/// no padding mask: every row, pads included, attends causally to the whole window. The original layouts (Kang) attend
/// only on each window's live block [first real, L): a live row i attends to [first, i], rows before the first real item
/// output zero, and there is no output projection unless the layout is original-proj.
/// </summary>
public sealed class TorchSasrec : TorchSequenceModel
{
    private const double LayerNormEpsilon = 1e-8;
    private static readonly Names FinalLn = Names.Norm("last_ln");
    private readonly Block[] _blocks;
    private readonly bool _kang;
    private readonly long[] _normShape;

    public TorchSasrec(RunOptions options, int itemCount, Device device, ScalarType dtype)
        : base(options, itemCount, device, dtype)
    {
        var layout = options.ResolvedVariant;
        _kang = layout is Variants.Original or Variants.OriginalProj;
        PreNorm = layout == Variants.PreLn;
        _normShape = [options.Dim];
        _blocks = Enumerable.Range(0, options.Layers).Select(i => new Block($"blocks.{i}.", options.DropoutOf(i), _kang,
            layout != Variants.Original)).ToArray();
    }

    private bool PreNorm { get; }

    public override Tensor Forward(TorchBatch batch, bool training)
    {
        using var scope = NewDisposeScope();
        int count = batch.Count, length = batch.Length, d = Options.Dim;
        var ids = batch.Inputs.view(-1);                                            // [B·L]
        var real = ids.ne(0L);                                                      // m_t = 1[s_t ≠ 0]
        var positions = arange(1L, length + 1L, ScalarType.Int64, Device).repeat(count) * real;

        // x = √d·E[s] + P[p], dropout                                                           [B·L, d]
        var x = Lookup(P("item_emb"), ids, real) * Math.Sqrt(d) + Lookup(P("pos_emb"), positions, real);
        x = Drop(x, Options.DropoutOf(0), training);

        // Kang's masks: the live block of a window starts at its first real item.
        Tensor? keys = null, liveRows = null;
        if (_kang)
        {
            var live = real.view(count, length).cumsum(1).gt(0L);                  // [B, L]
            keys = KeyMask(live, length);
            liveRows = live.view(-1, 1).to(DType);
        }
        foreach (var b in _blocks)
        {
            if (_kang)
            {
                var q = Norm(x, b.AttnLn);
                var z = Norm(q + AttendLive(b, q, x, count, length, keys!, liveRows!, training), b.FfnLn);
                x = (z + FeedForward(b, z, training)) * real.view(-1, 1).to(DType);
            }
            else if (PreNorm)
            {
                var y = x + Attend(b, Norm(x, b.AttnLn), count, length, training);
                x = y + FeedForward(b, Norm(y, b.FfnLn), training);
            }
            else
            {
                var y = Norm(x + Attend(b, x, count, length, training), b.AttnLn);
                x = Norm(y + FeedForward(b, y, training), b.FfnLn);
            }
        }
        return Norm(x, FinalLn).MoveToOuterDisposeScope();
    }

    // pmixer's MHA (torch MultiheadAttention): [Q|K|V] = x·W_inᵀ + b_in; causal softmax per head; O·W_outᵀ + b_out.
    private Tensor Attend(Block b, Tensor x, int count, int length, bool training)
    {
        var qkv = Linear(x, b.InProj).chunk(3, 1);
        var o = Heads(qkv[0], qkv[1], qkv[2], count, length, null, b.Dropout, training);
        return Linear(o, b.OutProj!.Value);
    }

    // Kang: Q = q·W_qᵀ + b_q, [K|V] = x·W_kvᵀ + b_kv, attention on the live block only, rows before it zero; the heads
    // concatenated with no output projection (original-proj: then O·W_outᵀ + b_out, so those rows read b_out).
    private Tensor AttendLive(Block b, Tensor q, Tensor x, int count, int length, Tensor keys, Tensor liveRows, bool training)
    {
        var kv = Linear(x, b.KvProj!.Value).chunk(2, 1);
        var o = Heads(Linear(q, b.InProj), kv[0], kv[1], count, length, keys, b.Dropout, training) * liveRows;
        return b.OutProj is { } w ? Linear(o, w) : o;
    }

    /// <summary>
    /// softmax(Q_h K_hᵀ/√d_h + M) V_h for every sequence and head h (columns h·d_h of the [B·L, d] inputs), M causal, or
    /// the given boolean mask [B, 1, L, L] (true = attend); dropout on the weights. Returns the heads concatenated.
    /// </summary>
    private Tensor Heads(Tensor q, Tensor k, Tensor v, int count, int length, Tensor? mask, double dropout, bool training)
    {
        int heads = Options.Heads, d = Options.Dim;
        var o = scaled_dot_product_attention(Split(q), Split(k), Split(v), mask, training ? dropout : 0, is_casual: mask is null);
        return o.transpose(1, 2).reshape(count * length, d);

        Tensor Split(Tensor t) => t.view(count, length, heads, d / heads).transpose(1, 2);   // [B, H, L, d_h]
    }

    /// <summary>
    /// Row i of window b may attend key j when j ≤ i and both lie on the same side of the first real item: a live row
    /// sees [first, i]; a row before the first real item sees its (pad) prefix, so no softmax row is empty, and its
    /// output is zeroed afterwards (the native kernel skips those rows). [B, 1, L, L].
    /// </summary>
    private Tensor KeyMask(Tensor live, int length)
    {
        var causal = ones(length, length, ScalarType.Bool, Device).tril();
        return live.unsqueeze(2).eq(live.unsqueeze(1)).logical_and(causal).unsqueeze(1);
    }

    private Tensor FeedForward(Block b, Tensor z, bool training) =>
        Drop(Linear(Drop(relu(Linear(z, b.Conv1)), b.Dropout, training), b.Conv2), b.Dropout, training);

    // y = E[id] per row; pad rows (id 0) read E[0] but give it no gradient, as the native Embedding's padding row.
    private static Tensor Lookup(Tensor table, Tensor ids, Tensor real)
    {
        var rows = table.index_select(0, ids);
        return where(real.unsqueeze(1), rows, rows.detach());
    }

    private Tensor Norm(Tensor x, Names n) => layer_norm(x, _normShape, P(n.Weight).view(-1), P(n.Bias).view(-1), LayerNormEpsilon);

    // y = x·Wᵀ + b, W stored [out, in] (torch.nn.Linear)
    private Tensor Linear(Tensor x, Names n) => linear(x, P(n.Weight), P(n.Bias).view(-1));

    private static Tensor Drop(Tensor x, double p, bool training) => training && p > 0 ? dropout(x, p, training: true) : x;

    /// <summary>A weight (or LN γ) and its bias (or LN β), by their names in the native layout.</summary>
    private readonly record struct Names(string Weight, string Bias)
    {
        public static Names Norm(string name) => new(name + ".gamma", name + ".beta");
    }

    /// <summary>One block's parameter names and its dropout rate.</summary>
    private sealed class Block(string prefix, double dropout, bool split, bool outProj)
    {
        public Names AttnLn { get; } = Names.Norm(prefix + "attn_ln");
        public Names FfnLn { get; } = Names.Norm(prefix + "ffn_ln");
        public Names InProj { get; } = split
            ? new(prefix + "mha.q_proj_weight", prefix + "mha.q_proj_bias")
            : new(prefix + "mha.in_proj_weight", prefix + "mha.in_proj_bias");
        public Names? KvProj { get; } = split ? new(prefix + "mha.kv_proj_weight", prefix + "mha.kv_proj_bias") : null;
        public Names? OutProj { get; } = outProj ? new(prefix + "mha.out_proj.weight", prefix + "mha.out_proj.bias") : null;
        public Names Conv1 { get; } = new(prefix + "ffn.conv1.weight", prefix + "ffn.conv1.bias");
        public Names Conv2 { get; } = new(prefix + "ffn.conv2.weight", prefix + "ffn.conv2.bias");
        public double Dropout { get; } = dropout;
    }
}
