using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

/// <summary>
/// HSTU as P-Law trained it (USTC-StarTeam/Performance-Law <c>HSTU_SASRec</c>; models.md §3b):
///   x⁰ = √d E[s], dropout (no positions, no timestamps); block x' = x + Attn(RMSNorm x); final RMSNorm.
///   Attn(z): z̃ = SiLU(z); q, k, v, u = z̃W_q, z̃W_k, z̃W_v, z̃W_u (fused [4d, d], no bias); RoPE(q, k);
///   A = SiLU(q kᵀ/√d_h) with S_ij := 0 for j &gt; i (so A_ij = 0); Drop(A); O = A V; O = RMSNorm(O)⊙u; out = Drop(O W_o).
/// No padding mask (real tokens attend to the left pads, which read the non-zero E[0]); E[0] gets no gradient. While
/// training without dropout the pads are shared rows and the real rows packed (see ForwardPacked); results are those
/// of the padded layout.
/// Init: every matrix N(0, 0.02) (E[0] too), W_o of every block N(0, 0.02/√(2·layers)), RMSNorm γ = 1, ε = 1e-5.
/// Ablations (<see cref="HstuAblation"/>; this variant has no relative bias to remove): silu makes A = softmax(q kᵀ/√d_h)
/// over the causal keys, then Drop(A); gate drops u (the projection is [3d, d]: q, k, v) and O = RMSNorm(O).
/// </summary>
public sealed class HstuPLaw<T> : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double NormEpsilon = 1e-5;
    private readonly ParameterSlot _finalGamma;
    private readonly Block[] _blocks;
    private Graph<T>? _graph;
    private Embedding<T>? _items;
    private Dropout<T>? _inputDropout;
    private RmsNorm<T>? _finalNorm;
    private readonly HstuAblation _ablation;

    public HstuPLaw(RunOptions options, int itemCount)
    {
        Options = options;
        ItemCount = itemCount;
        NoDropout = Enumerable.Range(0, options.Layers).All(i => options.DropoutOf(i) == 0);
        var d = options.Dim;
        _ablation = HstuAblations.Of(options);
        if (_ablation.HasFlag(HstuAblation.Rab))
            throw new ArgumentException("Ablate rab: HSTU p-law has no relative attention bias to remove (models.md §3b).", nameof(options));
        var gate = !_ablation.HasFlag(HstuAblation.Gate);
        ItemEmbedding = Layout.Add("item_emb", itemCount + 1, d, isEmbedding: true);
        _blocks = new Block[options.Layers];
        for (var i = 0; i < options.Layers; i++)
        {
            var p = $"blocks.{i}.";
            _blocks[i] = new Block
            {
                Gamma = Layout.Add(p + "norm.gamma", 1, d, decay: false),
                Qkvu = gate ? Layout.Add(p + "qkvu", 4 * d, d) : Layout.Add(p + "qkv", 3 * d, d),
                OutputGamma = Layout.Add(p + "o_norm.gamma", 1, d, decay: false),
                OutWeight = Layout.Add(p + "o.weight", d, d),
                Dropout = options.DropoutOf(i),
            };
        }
        _finalGamma = Layout.Add("final_norm.gamma", 1, d, decay: false);
    }

    public RunOptions Options { get; }

    /// <summary>No dropout anywhere: the shared-pads packing applies (see ForwardPacked).</summary>
    private bool NoDropout { get; }
    public int ItemCount { get; }
    public ParameterLayout Layout { get; } = new();
    public ParameterSlot ItemEmbedding { get; }

    public void Initialize(Span<T> values, Rng rng)
    {
        var outStd = 0.02 / Math.Sqrt(2.0 * Options.Layers);
        foreach (var s in Layout.Slots)
        {
            var v = values.Slice(s.Offset, s.Length);
            if (s.Rows == 1) Init.Fill(v, 1);
            else Init.Normal(v, s.Name.EndsWith("o.weight", StringComparison.Ordinal) ? outStd : 0.02, rng);
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
            b.Norm = new RmsNorm<T>(graph, b.Gamma, NormEpsilon);
            b.Silu = new Silu<T>(graph);
            b.Project = new Linear<T>(graph, b.Qkvu, null);
            b.Rope = new Rope<T>(graph, dh);
            b.Attention = new HstuAttention<T>(graph, Options.Heads, dh, b.Dropout, softmax: _ablation.HasFlag(HstuAblation.Silu));
            b.OutputNorm = new RmsNorm<T>(graph, b.OutputGamma, NormEpsilon);
            b.Gate = _ablation.HasFlag(HstuAblation.Gate) ? null : new Multiply<T>(graph);
            b.Out = new Linear<T>(graph, b.OutWeight, null);
            b.Drop = new Dropout<T>(graph, b.Dropout);
            b.Residual = new Add<T>(graph);
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
        var alpha = 1 / Math.Sqrt(d / Options.Heads);
        foreach (var b in _blocks)
        {
            var qkvu = b.Project!.Forward(b.Silu!.Forward(b.Norm!.Forward(x)));                  // [B·L, 4d]: q, k, v, u
            var rotated = b.Rope!.Forward(qkvu, 0, 2 * d, l);
            var o = b.Attention!.Forward(rotated, 0, d, 2 * d, l, alpha, beta: 1, keyStart: null, buckets: null);
            var gated = Gated(b, b.OutputNorm!.Forward(o), rotated, d);
            x = b.Residual!.Forward(x, b.Drop!.Forward(b.Out!.Forward(gated)));
        }
        return _finalNorm!.Forward(x);
    }

    // As LLaMA's: without dropout the pads every window attends to are the same rows, run once as the shared first
    // block (SequenceBlocks); the real rows are packed and attend to it before their own rows.
    private Var<T> ForwardPacked(SequenceBatch batch, SequenceBlocks rows)
    {
        int n = rows.Rows, l = batch.Length, d = Options.Dim;
        var x = _items!.Forward(batch.PackedInputs, 0, n, Math.Sqrt(d));                       // [R, d]
        var alpha = 1 / Math.Sqrt(d / Options.Heads);
        foreach (var b in _blocks)
        {
            var qkvu = b.Project!.Forward(b.Silu!.Forward(b.Norm!.Forward(x)));                  // [R, 4d]: q, k, v, u
            var rotated = b.Rope!.Forward(qkvu, 0, 2 * d, l, batch.PackedSlots);
            var o = b.Attention!.Forward(rotated, 0, d, 2 * d, rows, alpha, beta: 1, buckets: null);
            var gated = Gated(b, b.OutputNorm!.Forward(o), rotated, d);
            x = b.Residual!.Forward(x, b.Out!.Forward(gated));
        }
        return _finalNorm!.Forward(x);
    }

    // RMSNorm(O) ⊙ u, or RMSNorm(O) itself without the gate.
    private static Var<T> Gated(Block b, Var<T> normed, Var<T> qkvu, int d) => b.Gate is null ? normed : b.Gate.Forward(normed, qkvu, 3 * d);

    private sealed class Block
    {
        public required ParameterSlot Gamma, Qkvu, OutputGamma, OutWeight;
        public required double Dropout;
        public RmsNorm<T>? Norm, OutputNorm;
        public Silu<T>? Silu;
        public Linear<T>? Project, Out;
        public Rope<T>? Rope;
        public HstuAttention<T>? Attention;
        public Multiply<T>? Gate;
        public Dropout<T>? Drop;
        public Add<T>? Residual;
    }
}
