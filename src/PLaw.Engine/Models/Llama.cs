using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

/// <summary>
/// LLaMA-style decoder for recommendation (P-Law <c>LLaMA2_SASRec</c>; Touvron et al. 2023; models.md §4):
///   x⁰ = √d E[s], dropout; block h = x + Drop(W_o·Attn(RoPE(W_q z), RoPE(W_k z), W_v z)), z = RMSNorm x;
///   x' = h + Drop(W₂(SiLU(W₁z₂) ⊙ W₃z₂)), z₂ = RMSNorm h; final RMSNorm (ε = 1e-5).
///   Attn: causal softmax(q kᵀ/√d_h), dropout on A, kv heads = heads; SwiGLU hidden m = 32·⌈⌊8d/3⌋/32⌉; no biases.
/// No padding mask (pads read E[0]); E[0] gets no gradient. While training without dropout the pads are shared rows
/// and the real rows packed (see ForwardPacked); results are those of the padded layout. Init: N(0, 0.02) everywhere, W₃ and W_o N(0, 0.02/√(2·layers)).
/// </summary>
public sealed class Llama<T> : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double NormEpsilon = 1e-5;
    private readonly ParameterSlot _finalGamma;
    private readonly Block[] _blocks;
    private Graph<T>? _graph;
    private Embedding<T>? _items;
    private Dropout<T>? _inputDropout;
    private RmsNorm<T>? _finalNorm;

    public Llama(RunOptions options, int itemCount)
    {
        Options = options;
        ItemCount = itemCount;
        NoDropout = Enumerable.Range(0, options.Layers).All(i => options.DropoutOf(i) == 0);
        var d = options.Dim;
        var m = ParameterCount.SwiGluHidden(d);
        ItemEmbedding = Layout.Add("item_emb", itemCount + 1, d, isEmbedding: true);
        _blocks = new Block[options.Layers];
        for (var i = 0; i < options.Layers; i++)
        {
            var p = $"blocks.{i}.";
            _blocks[i] = new Block
            {
                AttnGamma = Layout.Add(p + "attention_norm.gamma", 1, d, decay: false),
                Qkv = Layout.Add(p + "attention.wqkv", 3 * d, d),
                Wo = Layout.Add(p + "attention.wo", d, d),
                FfnGamma = Layout.Add(p + "ffn_norm.gamma", 1, d, decay: false),
                W1 = Layout.Add(p + "feed_forward.w1", m, d),
                W3 = Layout.Add(p + "feed_forward.w3", m, d),
                W2 = Layout.Add(p + "feed_forward.w2", d, m),
                Dropout = options.DropoutOf(i),
            };
        }
        _finalGamma = Layout.Add("norm.gamma", 1, d, decay: false);
    }

    public RunOptions Options { get; }

    /// <summary>No dropout anywhere: the shared-pads packing applies (see ForwardPacked).</summary>
    private bool NoDropout { get; }
    public int ItemCount { get; }
    public ParameterLayout Layout { get; } = new();
    public ParameterSlot ItemEmbedding { get; }

    public void Initialize(Span<T> values, Rng rng)
    {
        var scaled = 0.02 / Math.Sqrt(2.0 * Options.Layers);
        foreach (var s in Layout.Slots)
        {
            var v = values.Slice(s.Offset, s.Length);
            if (s.Rows == 1) Init.Fill(v, 1);
            else Init.Normal(v, s.Name.EndsWith(".w3", StringComparison.Ordinal) || s.Name.EndsWith(".wo", StringComparison.Ordinal) ? scaled : 0.02, rng);
        }
    }

    public void Attach(Graph<T> graph)
    {
        _graph = graph;
        _items = new Embedding<T>(graph, ItemEmbedding);
        _inputDropout = new Dropout<T>(graph, Options.DropoutOf(0));
        _finalNorm = new RmsNorm<T>(graph, _finalGamma, NormEpsilon);
        var dh = Options.Dim / Options.Heads;
        foreach (var b in _blocks)
        {
            b.AttnNorm = new RmsNorm<T>(graph, b.AttnGamma, NormEpsilon);
            b.QkvProj = new Linear<T>(graph, b.Qkv, null);
            b.Rope = new Rope<T>(graph, dh);
            b.Attention = new CausalAttention<T>(graph, Options.Heads, dh, b.Dropout);
            b.OutProj = new Linear<T>(graph, b.Wo, null);
            b.AttnDrop = new Dropout<T>(graph, b.Dropout);
            b.AttnResidual = new Add<T>(graph);
            b.FfnNorm = new RmsNorm<T>(graph, b.FfnGamma, NormEpsilon);
            b.Up1 = new Linear<T>(graph, b.W1, null);
            b.Up3 = new Linear<T>(graph, b.W3, null);
            b.Silu = new Silu<T>(graph);
            b.Gate = new Multiply<T>(graph);
            b.Down = new Linear<T>(graph, b.W2, null);
            b.FfnDrop = new Dropout<T>(graph, b.Dropout);
            b.FfnResidual = new Add<T>(graph);
        }
    }

    public Var<T> Forward(SequenceBatch batch)
    {
        if (_graph is null) throw new InvalidOperationException("Attach the model to a graph first.");
        if (_graph.PackedHidden && (NoDropout || !_graph.Training) && batch.Pack(sharedPads: true) is { } packed)
            return ForwardPacked(batch, packed);
        batch.ForgetPacking();
        int rows = batch.Rows, l = batch.Length, d = Options.Dim;
        var x = _inputDropout!.Forward(_items!.Forward(batch.Inputs, 0, rows, Math.Sqrt(d)));   // [B·L, d]
        var scale = 1 / Math.Sqrt(d / Options.Heads);
        foreach (var b in _blocks)
        {
            var qkv = b.Rope!.Forward(b.QkvProj!.Forward(b.AttnNorm!.Forward(x)), 0, 2 * d, l);  // [B·L, 3d]
            var a = b.Attention!.Forward(qkv, 0, d, 2 * d, l, scale);
            var h = b.AttnResidual!.Forward(x, b.AttnDrop!.Forward(b.OutProj!.Forward(a)));
            var z = b.FfnNorm!.Forward(h);
            var gated = b.Gate!.Forward(b.Silu!.Forward(b.Up1!.Forward(z)), b.Up3!.Forward(z));   // [B·L, m]
            x = b.FfnResidual!.Forward(h, b.FfnDrop!.Forward(b.Down!.Forward(gated)));
        }
        return _finalNorm!.Forward(x);
    }

    // Real rows attend to the left pads here (P-Law), so pads take part; but without dropout every window's pads are
    // the same rows (E[0] at slots 0, 1, …, seeing only pads), so they run once, as the shared first block that each
    // window's block attends to before its own rows (SequenceBlocks), and the real rows are packed. The pads' gradients
    // from all windows meet in that block, which is their sum in the padded layout.
    private Var<T> ForwardPacked(SequenceBatch batch, SequenceBlocks rows)
    {
        int n = rows.Rows, l = batch.Length, d = Options.Dim;
        var x = _items!.Forward(batch.PackedInputs, 0, n, Math.Sqrt(d));                       // [R, d]
        var scale = 1 / Math.Sqrt(d / Options.Heads);
        foreach (var b in _blocks)
        {
            var qkv = b.Rope!.Forward(b.QkvProj!.Forward(b.AttnNorm!.Forward(x)), 0, 2 * d, l, batch.PackedSlots);  // [R, 3d]
            var a = b.Attention!.Forward(qkv, 0, qkv, d, 2 * d, rows, scale);
            var h = b.AttnResidual!.Forward(x, b.OutProj!.Forward(a));
            var z = b.FfnNorm!.Forward(h);
            var gated = b.Gate!.Forward(b.Silu!.Forward(b.Up1!.Forward(z)), b.Up3!.Forward(z));   // [R, m]
            x = b.FfnResidual!.Forward(h, b.Down!.Forward(gated));
        }
        return _finalNorm!.Forward(x);
    }


    private sealed class Block
    {
        public required ParameterSlot AttnGamma, Qkv, Wo, FfnGamma, W1, W3, W2;
        public required double Dropout;
        public RmsNorm<T>? AttnNorm, FfnNorm;
        public Linear<T>? QkvProj, OutProj, Up1, Up3, Down;
        public Rope<T>? Rope;
        public CausalAttention<T>? Attention;
        public Dropout<T>? AttnDrop, FfnDrop;
        public Add<T>? AttnResidual, FfnResidual;
        public Silu<T>? Silu;
        public Multiply<T>? Gate;
    }
}
