using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

/// <summary>
/// SASRec (Kang and McAuley 2018) as pmixer/SASRec.pytorch trains it (models.md §2):
///   x = √d·E[s_t] + P[p_t] (p_t = t + 1 for items, 0 for pads; E[0] = P[0] = 0 and never updated), dropout;
///   MHA = torch MultiheadAttention (fused biased in-projection [3d, d], causal softmax, dropout on A, out-projection);
///   FFN(z) = Drop(W₂·Drop(ReLU(W₁z + b₁)) + b₂) (pmixer's 1×1 convolutions, hidden = d);
///   post-LN (default): y = LN(x + MHA(x)); x' = LN(y + FFN(y)); pre-LN: y = x + MHA(LN x); x' = y + FFN(LN y);
///   original (Kang's TF code): q = LN(x); z = LN(q + MHA(Q = q, K = V = x)); x' = (z + FFN(z)) ⊙ m, m_t = 1[s_t ≠ 0],
///   and, as in that code, pad keys are masked, pad queries output zero (the PM layouts have no padding mask) and the
///   attention has no output projection (MHA = concat of the heads); original-proj is the same with W_o + b_o;
///   final LN; LN ε = 1e-8 with affine γ, β.
/// Init: xavier-normal on every ≥ 2-D tensor (E, P, projections), then zero E[0], P[0]; MHA biases 0; FFN biases U(±1/√d).
/// </summary>
public sealed class Sasrec<T> : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double LayerNormEpsilon = 1e-8;
    private readonly Block[] _blocks;
    private readonly ParameterSlot _positions, _finalGamma, _finalBeta;
    private readonly string _layout;
    private Graph<T>? _graph;
    private Embedding<T>? _itemLookup, _positionLookup;
    private Dropout<T>? _inputDropout;
    private LayerNorm<T>? _finalNorm;
    private int[] _positionIds = [];

    public Sasrec(RunOptions options, int itemCount)
    {
        Options = options;
        ItemCount = itemCount;
        _layout = options.ResolvedVariant;
        int d = options.Dim, l = options.MaxLength;
        ItemEmbedding = Layout.Add("item_emb", itemCount + 1, d, isEmbedding: true);
        _positions = Layout.Add("pos_emb", l + 1, d, isEmbedding: true);
        // Kang's layout projects Q and [K|V] from different inputs: W_q [d, d] and W_kv [2d, d] instead of the fused [3d, d].
        var split = _layout is Variants.Original or Variants.OriginalProj;
        var outProj = _layout != Variants.Original;
        var (inName, inRows) = split ? ("q_proj", d) : ("in_proj", 3 * d);
        _blocks = new Block[options.Layers];
        for (var i = 0; i < options.Layers; i++)
        {
            var p = $"blocks.{i}.";
            _blocks[i] = new Block
            {
                AttnGamma = Layout.Add(p + "attn_ln.gamma", 1, d, decay: false),
                AttnBeta = Layout.Add(p + "attn_ln.beta", 1, d, decay: false),
                InWeight = Layout.Add(p + $"mha.{inName}_weight", inRows, d),
                InBias = Layout.Add(p + $"mha.{inName}_bias", 1, inRows, decay: false),
                KvWeight = split ? Layout.Add(p + "mha.kv_proj_weight", 2 * d, d) : null,
                KvBias = split ? Layout.Add(p + "mha.kv_proj_bias", 1, 2 * d, decay: false) : null,
                OutWeight = outProj ? Layout.Add(p + "mha.out_proj.weight", d, d) : null,
                OutBias = outProj ? Layout.Add(p + "mha.out_proj.bias", 1, d, decay: false) : null,
                FfnGamma = Layout.Add(p + "ffn_ln.gamma", 1, d, decay: false),
                FfnBeta = Layout.Add(p + "ffn_ln.beta", 1, d, decay: false),
                W1 = Layout.Add(p + "ffn.conv1.weight", d, d),
                B1 = Layout.Add(p + "ffn.conv1.bias", 1, d, decay: false),
                W2 = Layout.Add(p + "ffn.conv2.weight", d, d),
                B2 = Layout.Add(p + "ffn.conv2.bias", 1, d, decay: false),
                Dropout = options.DropoutOf(i),
            };
        }
        _finalGamma = Layout.Add("last_ln.gamma", 1, d, decay: false);
        _finalBeta = Layout.Add("last_ln.beta", 1, d, decay: false);
    }

    public RunOptions Options { get; }
    public int ItemCount { get; }
    public ParameterLayout Layout { get; } = new();
    public ParameterSlot ItemEmbedding { get; }

    public void Initialize(Span<T> values, Rng rng)
    {
        foreach (var s in Layout.Slots)
        {
            var v = values.Slice(s.Offset, s.Length);
            if (s.Rows > 1) Init.XavierNormal(v, s.Rows, s.Cols, rng);
            else if (s.Name.EndsWith("gamma", StringComparison.Ordinal)) Init.Fill(v, 1);
            else if (s.Name.Contains("conv", StringComparison.Ordinal)) Init.Uniform(v, 1 / Math.Sqrt(Options.Dim), rng);
            else v.Clear();
        }
        values.Slice(ItemEmbedding.Offset, ItemEmbedding.Cols).Clear();
        values.Slice(_positions.Offset, _positions.Cols).Clear();
    }

    public void Attach(Graph<T> graph)
    {
        _graph = graph;
        _itemLookup = new Embedding<T>(graph, ItemEmbedding);
        _positionLookup = new Embedding<T>(graph, _positions);
        _inputDropout = new Dropout<T>(graph, Options.DropoutOf(0));
        _finalNorm = new LayerNorm<T>(graph, _finalGamma, _finalBeta, LayerNormEpsilon);
        var d = Options.Dim;
        foreach (var b in _blocks)
        {
            b.AttnNorm = new LayerNorm<T>(graph, b.AttnGamma, b.AttnBeta, LayerNormEpsilon);
            b.InProj = new Linear<T>(graph, b.InWeight, b.InBias);
            if (b.KvWeight is not null)
            {
                b.KvProj = new Linear<T>(graph, b.KvWeight, b.KvBias);
                b.BlockMask = new RowMask<T>(graph);
            }
            b.Attention = new CausalAttention<T>(graph, Options.Heads, d / Options.Heads, b.Dropout);
            if (b.OutWeight is not null) b.OutProj = new Linear<T>(graph, b.OutWeight, b.OutBias);
            b.AttnResidual = new Add<T>(graph);
            b.FfnNorm = new LayerNorm<T>(graph, b.FfnGamma, b.FfnBeta, LayerNormEpsilon);
            b.Conv1 = new Linear<T>(graph, b.W1, b.B1);
            b.Relu = new Relu<T>(graph);
            b.Drop1 = new Dropout<T>(graph, b.Dropout);
            b.Conv2 = new Linear<T>(graph, b.W2, b.B2);
            b.Drop2 = new Dropout<T>(graph, b.Dropout);
            b.FfnResidual = new Add<T>(graph);
        }
    }

    public Var<T> Forward(SequenceBatch batch)
    {
        if (_graph is null) throw new InvalidOperationException("Attach the model to a graph first.");
        if (_graph.PackedHidden && _layout is Variants.Original or Variants.OriginalProj && batch.Pack() is { } packed)
            return ForwardPacked(batch, packed);
        batch.ForgetPacking();
        int rows = batch.Rows, l = batch.Length, d = Options.Dim;
        if (_positionIds.Length < rows) _positionIds = new int[rows];
        for (var r = 0; r < rows; r++) _positionIds[r] = batch.Inputs[r] == 0 ? 0 : r % l + 1;

        // x = √d·E[s] + P[p], dropout                                                     [B·L, d]
        var x = _itemLookup!.Forward(batch.Inputs, 0, rows, Math.Sqrt(d));
        x = _positionLookup!.Forward(_positionIds, 0, rows, 1, x);
        x = _inputDropout!.Forward(x);
        var scale = 1 / Math.Sqrt(d / Options.Heads);
        foreach (var b in _blocks)
        {
            switch (_layout)
            {
                case Variants.PreLn:
                {
                    var y = b.AttnResidual!.Forward(x, Attend(b, b.AttnNorm!.Forward(x), l, scale));
                    x = b.FfnResidual!.Forward(y, FeedForward(b, b.FfnNorm!.Forward(y)));
                    break;
                }
                case Variants.Original or Variants.OriginalProj:
                {
                    var q = b.AttnNorm!.Forward(x);
                    var z = b.FfnNorm!.Forward(b.AttnResidual!.Forward(q, AttendMasked(b, q, x, batch.Inputs, l, scale)));
                    x = b.BlockMask!.Forward(b.FfnResidual!.Forward(z, FeedForward(b, z)), batch.Inputs);
                    break;
                }
                default:
                {
                    var y = b.AttnNorm!.Forward(b.AttnResidual!.Forward(x, Attend(b, x, l, scale)));
                    x = b.FfnNorm!.Forward(b.FfnResidual!.Forward(y, FeedForward(b, y)));
                    break;
                }
            }
        }
        return _finalNorm!.Forward(x);
    }

    // Kang's layouts on packed rows (real positions only; see SequenceBatch.Pack): pads take no part there (pad keys
    // masked, pad rows zeroed by m), so the same ops on the real rows give the same loss and gradients. Every row
    // is real, so the row mask m is the identity; dropout draws the entries the padded rows would get.
    private Var<T> ForwardPacked(SequenceBatch batch, SequenceBlocks rows)
    {
        int n = rows.Rows, d = Options.Dim;
        if (_positionIds.Length < n) _positionIds = new int[n];
        for (var r = 0; r < n; r++) _positionIds[r] = batch.PackedSlots[r] + 1;
        var x = _itemLookup!.Forward(batch.PackedInputs, 0, n, Math.Sqrt(d));                 // [R, d]
        x = _positionLookup!.Forward(_positionIds, 0, n, 1, x);
        x = _inputDropout!.Forward(x, rows);
        var scale = 1 / Math.Sqrt(d / Options.Heads);
        foreach (var b in _blocks)
        {
            var q = b.AttnNorm!.Forward(x);
            var o = b.Attention!.Forward(b.InProj!.Forward(q), 0, b.KvProj!.Forward(x), 0, d, rows, scale);
            if (b.OutProj is not null) o = b.OutProj.Forward(o);
            var z = b.FfnNorm!.Forward(b.AttnResidual!.Forward(q, o));
            x = b.FfnResidual!.Forward(z, b.Drop2!.Forward(b.Conv2!.Forward(b.Drop1!.Forward(b.Relu!.Forward(b.Conv1!.Forward(z)), rows)), rows));
        }
        return _finalNorm!.Forward(x);
    }

    // MHA(x): [Q|K|V] = x·W_inᵀ + b_in [B·L, 3d]; causal softmax per head; O·W_outᵀ + b_out.
    private Var<T> Attend(Block b, Var<T> x, int length, double scale)
    {
        var qkv = b.InProj!.Forward(x);
        var d = Options.Dim;
        var o = b.Attention!.Forward(qkv, 0, d, 2 * d, length, scale);
        return b.OutProj!.Forward(o);
    }

    // Kang: Q = q·W_qᵀ + b_q, [K|V] = x·W_kvᵀ + b_kv; pad keys masked, pad query rows zero; the heads' outputs
    // concatenated, with no output projection (original-proj: then O·W_outᵀ + b_out).
    private Var<T> AttendMasked(Block b, Var<T> q, Var<T> x, int[] ids, int length, double scale)
    {
        var d = Options.Dim;
        var o = b.Attention!.Forward(b.InProj!.Forward(q), 0, b.KvProj!.Forward(x), 0, d, length, scale, ids);
        return b.OutProj is null ? o : b.OutProj.Forward(o);
    }

    private static Var<T> FeedForward(Block b, Var<T> x) =>
        b.Drop2!.Forward(b.Conv2!.Forward(b.Drop1!.Forward(b.Relu!.Forward(b.Conv1!.Forward(x)))));

    private sealed class Block
    {
        public required ParameterSlot AttnGamma, AttnBeta, InWeight, InBias, FfnGamma, FfnBeta, W1, B1, W2, B2;
        public required ParameterSlot? KvWeight, KvBias, OutWeight, OutBias;
        public required double Dropout;
        public LayerNorm<T>? AttnNorm, FfnNorm;
        public Linear<T>? InProj, KvProj, OutProj, Conv1, Conv2;
        public RowMask<T>? BlockMask;
        public CausalAttention<T>? Attention;
        public Add<T>? AttnResidual, FfnResidual;
        public Relu<T>? Relu;
        public Dropout<T>? Drop1, Drop2;
    }
}
