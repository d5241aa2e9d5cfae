using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

/// <summary>
/// HSTU as in meta-recsys/generative-recommenders (Zhai et al. 2024, "Actions Speak Louder than Words"; models.md §3a):
///   x = √d E[s_t] + P[t] (t counted from the oldest real item), dropout, pad rows zeroed;
///   per block: Z = LN₀(X); [U, V, Q, K] = SiLU(Z W); A = SiLU(QKᵀ + R)/N ⊙ C; Y = X + W_o·Drop(U ⊙ LN₀(A V)) + b_o;
///   output L2-normalised. LN₀ has no affine, ε = 1e-6. R = w_pos[N−1+j−i] + w_ts[b(τ_{i+1} − τ_j)].
/// Port deviations: the window is left-padded like the other models, so pads are masked as keys instead of sitting
/// after the sequence; N = L (GR's 11 extra output slots are not modelled); without timestamps every Δ falls in bucket 0.
/// Init: W ~ N(0, 0.02); W_o xavier-uniform, b_o ~ U(±1/√d); E truncated-normal σ = 0.02; P xavier-normal; w_pos, w_ts ~ N(0, 0.02).
/// Ablations (<see cref="HstuAblation"/>): rab drops R and its parameters; silu makes A = softmax(QKᵀ/√d_h + R) over the live
/// keys; gate drops U (W is d×3d, split V, Q, K) and the block output is W_o·Drop(LN₀(A V)) + b_o.
/// </summary>
public sealed class HstuReference<T> : ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double NormEpsilon = 1e-6;
    private readonly ParameterSlot _positions;
    private readonly Block[] _blocks;
    private Graph<T>? _graph;
    private Embedding<T>? _items, _pos;
    private Dropout<T>? _inputDropout;
    private RowMask<T>? _padMask;
    private L2Normalize<T>? _output;
    private int[] _positionIds = [], _keyStart = [], _buckets = [];
    private readonly HstuAblation _ablation;
    // Columns of the fused projection: U (none without the gate), then V, Q, K.
    private readonly int _v, _q, _k;

    public HstuReference(RunOptions options, int itemCount)
    {
        Options = options;
        ItemCount = itemCount;
        int d = options.Dim, l = options.MaxLength;
        _ablation = HstuAblations.Of(options);
        var gate = !_ablation.HasFlag(HstuAblation.Gate);
        var rab = !_ablation.HasFlag(HstuAblation.Rab);
        (_v, _q, _k) = gate ? (d, 2 * d, 3 * d) : (0, d, 2 * d);
        ItemEmbedding = Layout.Add("item_emb", itemCount + 1, d, isEmbedding: true);
        _positions = Layout.Add("pos_emb", l, d, isEmbedding: true);
        _blocks = new Block[options.Layers];
        for (var i = 0; i < options.Layers; i++)
        {
            var p = $"blocks.{i}.";
            _blocks[i] = new Block
            {
                Uvqk = gate ? Layout.Add(p + "uvqk", 4 * d, d) : Layout.Add(p + "vqk", 3 * d, d),
                OutWeight = Layout.Add(p + "o.weight", d, d),
                OutBias = Layout.Add(p + "o.bias", 1, d, decay: false),
                PositionBias = rab ? Layout.Add(p + "rab.w_pos", 1, 2 * l - 1, decay: false) : null,
                TimeBias = rab ? Layout.Add(p + "rab.w_ts", 1, ParameterCount.HstuTimeBuckets, decay: false) : null,
                Dropout = options.DropoutOf(i),
            };
        }
    }

    public RunOptions Options { get; }
    public int ItemCount { get; }
    public ParameterLayout Layout { get; } = new();
    public ParameterSlot ItemEmbedding { get; }

    public void Initialize(Span<T> values, Rng rng)
    {
        var d = Options.Dim;
        Init.TruncatedNormal(values.Slice(ItemEmbedding.Offset, ItemEmbedding.Length), 0.02, rng);
        Init.XavierNormal(values.Slice(_positions.Offset, _positions.Length), _positions.Rows, _positions.Cols, rng);
        foreach (var b in _blocks)
        {
            Init.Normal(values.Slice(b.Uvqk.Offset, b.Uvqk.Length), 0.02, rng);
            Init.XavierUniform(values.Slice(b.OutWeight.Offset, b.OutWeight.Length), d, d, rng);
            Init.Uniform(values.Slice(b.OutBias.Offset, b.OutBias.Length), 1 / Math.Sqrt(d), rng);
            if (b.PositionBias is { } wPos) Init.Normal(values.Slice(wPos.Offset, wPos.Length), 0.02, rng);
            if (b.TimeBias is { } wTs) Init.Normal(values.Slice(wTs.Offset, wTs.Length), 0.02, rng);
        }
    }

    public void Attach(Graph<T> graph)
    {
        _graph = graph;
        _items = new Embedding<T>(graph, ItemEmbedding);
        _pos = new Embedding<T>(graph, _positions, zeroIsPadding: false);
        _inputDropout = new Dropout<T>(graph, Options.DropoutOf(0));
        _padMask = new RowMask<T>(graph);
        _output = new L2Normalize<T>(graph);
        var dh = Options.Dim / Options.Heads;
        foreach (var b in _blocks)
        {
            b.Norm = new LayerNorm<T>(graph, null, null, NormEpsilon);
            b.Project = new Linear<T>(graph, b.Uvqk, null);
            b.Silu = new Silu<T>(graph);
            b.Attention = new HstuAttention<T>(graph, Options.Heads, dh, 0, b.PositionBias, b.TimeBias, softmax: Softmax);
            b.OutputNorm = new LayerNorm<T>(graph, null, null, NormEpsilon);
            b.Gate = _ablation.HasFlag(HstuAblation.Gate) ? null : new Multiply<T>(graph);
            b.Drop = new Dropout<T>(graph, b.Dropout);
            b.Out = new Linear<T>(graph, b.OutWeight, b.OutBias);
            b.Residual = new Add<T>(graph);
        }
    }

    public Var<T> Forward(SequenceBatch batch)
    {
        if (_graph is null) throw new InvalidOperationException("Attach the model to a graph first.");
        if (_graph.PackedHidden && batch.Pack() is { } packed) return ForwardPacked(batch, packed);
        batch.ForgetPacking();
        int rows = batch.Rows, l = batch.Length, d = Options.Dim, n = batch.Count;
        if (_positionIds.Length < rows) _positionIds = new int[rows];
        if (_keyStart.Length < n) _keyStart = new int[n];
        for (var b = 0; b < n; b++)
        {
            var start = 0;
            while (start < l && batch.Inputs[b * l + start] == 0) start++;
            _keyStart[b] = start;
            for (var t = 0; t < l; t++) _positionIds[b * l + t] = t >= start ? t - start : -1;
        }
        var buckets = Buckets(batch, _keyStart);

        // x = √d E[s] + P[t], dropout, pads zeroed                                        [B·L, d]
        var x = _items!.Forward(batch.Inputs, 0, rows, Math.Sqrt(d));
        x = _pos!.Forward(_positionIds, 0, rows, 1, x);
        x = _padMask!.Forward(_inputDropout!.Forward(x), batch.Inputs);
        foreach (var b in _blocks)
        {
            var uvqk = b.Silu!.Forward(b.Project!.Forward(b.Norm!.Forward(x)));          // [B·L, 4d]: U, V, Q, K (3d: V, Q, K without the gate)
            var o = b.Attention!.Forward(uvqk, _q, _k, _v, l, Alpha, beta: 1.0 / l, _keyStart, buckets);
            var gated = b.Drop!.Forward(Gated(b, b.OutputNorm!.Forward(o), uvqk));
            x = b.Residual!.Forward(x, b.Out!.Forward(gated));
        }
        return _output!.Forward(x);
    }

    // The same on packed rows (real positions only; see SequenceBatch.Pack): pads are masked as keys and their rows
    // reach no real row, so they take no part; every row is real, so the pad mask is the identity.
    private Var<T> ForwardPacked(SequenceBatch batch, SequenceBlocks rows)
    {
        int n = rows.Rows, l = batch.Length, d = Options.Dim;
        if (_positionIds.Length < n) _positionIds = new int[n];
        for (var b = 0; b < rows.Count; b++)
        for (var i = 0; i < rows.Size[b]; i++)
            _positionIds[rows.Start[b] + i] = i;
        var buckets = Buckets(batch, rows.First);
        var x = _items!.Forward(batch.PackedInputs, 0, n, Math.Sqrt(d));                       // [R, d]
        x = _pos!.Forward(_positionIds, 0, n, 1, x);
        x = _inputDropout!.Forward(x, rows);
        foreach (var b in _blocks)
        {
            var uvqk = b.Silu!.Forward(b.Project!.Forward(b.Norm!.Forward(x)));          // [R, 4d]: U, V, Q, K (3d without the gate)
            var o = b.Attention!.Forward(uvqk, _q, _k, _v, rows, Alpha, beta: 1.0 / l, buckets);
            var gated = b.Drop!.Forward(Gated(b, b.OutputNorm!.Forward(o), uvqk), rows);
            x = b.Residual!.Forward(x, b.Out!.Forward(gated));
        }
        return _output!.Forward(x);
    }

    private bool Softmax => _ablation.HasFlag(HstuAblation.Silu);

    // GR's pointwise attention has no 1/√d_h (α = 1); the softmax ablation scales as usual.
    private double Alpha => Softmax ? 1 / Math.Sqrt(Options.Dim / Options.Heads) : 1;

    // U ⊙ LN₀(A V), or LN₀(A V) itself without the gate.
    private static Var<T> Gated(Block b, Var<T> normed, Var<T> uvqk) => b.Gate is null ? normed : b.Gate.Forward(normed, uvqk, 0);

    // Time-bias buckets [B, L, L] by window slots, τ_{i+1} − τ_j (the next item's time, the target's, minus key j's),
    // on the live cells first ≤ j ≤ i only (the attention reads no other); null without timestamps (bucket 0).
    private int[]? Buckets(SequenceBatch batch, int[] first)
    {
        if (!batch.HasTimes || _ablation.HasFlag(HstuAblation.Rab)) return null;
        int l = batch.Length, cells = batch.Count * l * l;
        if (_buckets.Length < cells) _buckets = new int[cells];
        for (var b = 0; b < batch.Count; b++)
        for (var i = first[b]; i < l; i++)
        for (var j = first[b]; j <= i; j++)
            _buckets[(b * l + i) * l + j] = HstuAttention<T>.Bucket(batch.TargetTimes[b * l + i] - batch.InputTimes[b * l + j]);
        return _buckets;
    }

    private sealed class Block
    {
        public required ParameterSlot Uvqk, OutWeight, OutBias;
        public required ParameterSlot? PositionBias, TimeBias;
        public required double Dropout;
        public LayerNorm<T>? Norm, OutputNorm;
        public Linear<T>? Project, Out;
        public Silu<T>? Silu;
        public HstuAttention<T>? Attention;
        public Multiply<T>? Gate;
        public Dropout<T>? Drop;
        public Add<T>? Residual;
    }
}
