using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Causal softmax attention for all sequences and heads (SASRec, LLaMA). q, k, v are column ranges of one matrix
/// [rows, ·] (the fused in-projection), or q of one and k, v of another (Kang's SASRec: Q = LN(x), K = V = x);
/// head h at columns col + h·d_h. Per (sequence, head), on the sequence's live block of n rows (<see cref="SequenceBlocks"/>),
/// with small GEMMs on the strided head slices:
///   S = Q Kᵀ·scale with S_ij = −∞ for j &gt; i;  P = softmax_j(S) (row max subtracted);  P̃ = P ⊙ M (dropout);  O = P̃ V.
/// Padded without ids, the block is the whole window. With item ids (Kang's key and query masking), pad keys are also −∞
/// and pad query rows output zero; pads are the left prefix of each window, so a real row i attends to [first real, i],
/// and every product runs on the [first, L) block only. Packed, only those rows exist. The dropout mask of a cell is
/// the entry a full [B·H·L, L] mask would hold there (<see cref="DropoutDraws{T}"/>), so all layouts agree.
/// Forward saves P and M ([n, n] per block and head, packed one after another). Backward (models.md §10):
///   dP̃ = dO Vᵀ, dV += P̃ᵀ dO, dP = dP̃ ⊙ M, dS = P ⊙ (dP − Σ_j dP⊙P)·scale, dQ += dS K, dK += dSᵀ Q.
/// Causal rows always keep the diagonal, so no real row is empty; masked cells have P = 0 and so get dS = 0.
/// </summary>
public sealed class CausalAttention<T>(Graph<T> graph, int heads, int headSize, double dropout) : IOp, IFlopCount
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // Per live cell and head: Q Kᵀ and P V, 2·d_h each, and the softmax (max, exp, sum, divide, scale) …
    public long ForwardFlops => (long)heads * _blocks.Cells * (4L * headSize + 5);
    // … and back: dP̃ = dO Vᵀ, dV, dQ, dK, 2·d_h each, and the softmax's gradient.
    public long BackwardFlops => (long)heads * _blocks.Cells * (8L * headSize + 5);

    private readonly SequenceBlocks _padded = new();
    private SequenceBlocks _blocks = new();
    private Var<T> _q, _kv, _o, _p, _mask, _scratch, _scratch2;
    private int _qc, _kc, _vc;
    private int[] _tile = [];
    private T _scale;
    private bool _dropout;

    public Var<T> Forward(Var<T> qkv, int qColumn, int kColumn, int vColumn, int length, double scale, int[]? ids = null) =>
        Forward(qkv, qColumn, qkv, kColumn, vColumn, length, scale, ids);

    public Var<T> Forward(Var<T> q, int qColumn, Var<T> kv, int kColumn, int vColumn, int length, double scale, int[]? ids = null)
    {
        _padded.SetPadded(ids, q.Rows / length, length, masked: ids is not null);
        return Forward(q, qColumn, kv, kColumn, vColumn, _padded, scale);
    }

    /// <summary>Attention on explicit blocks (padded or packed rows of q and kv).</summary>
    public Var<T> Forward(Var<T> q, int qColumn, Var<T> kv, int kColumn, int vColumn, SequenceBlocks blocks, double scale)
    {
        // q, kv: [rows, ·]; O: [rows, H·d_h]; P, M: H·Σ n² cells
        if (q.Rows != kv.Rows) throw new ArgumentException($"Attention: {q.Rows} query rows but {kv.Rows} key rows.");
        if (q.Rows != blocks.Rows) throw new ArgumentException($"Attention: {q.Rows} rows but the blocks index {blocks.Rows}.");
        (_q, _kv, _qc, _kc, _vc, _blocks, _scale) = (q, kv, qColumn, kColumn, vColumn, blocks, T.CreateTruncating(scale));
        int count = blocks.Count, length = blocks.Window, width = heads * headSize;
        _o = graph.Alloc(q.Rows, width);
        _p = graph.Arena.Alloc(heads * blocks.Cells, 1, false);
        _scratch = graph.Arena.Alloc(length, length, false);
        _scratch2 = graph.Arena.Alloc(length, length, false);
        if (_tile.Length < count) _tile = new int[count];
        for (int b = 0, cells = 0; b < count; b++)
        {
            _tile[b] = cells;
            cells += heads * blocks.Size[b] * (blocks.Prefix[b] + blocks.Size[b]);
        }
        _dropout = graph.Training && dropout > 0;
        if (_dropout && blocks.SharedPads) throw new InvalidOperationException("Shared pad rows need dropout off (each window's pads would draw their own masks).");
        var draws = _dropout ? new DropoutDraws<T>(graph.Rng, dropout, (long)count * heads * length * length) : default;
        if (_dropout) _mask = graph.Arena.Alloc(heads * blocks.Cells, 1, false);
        for (var b = 0; b < count; b++)
        {
            if (!blocks.Packed)
                for (var r = b * length; r < blocks.Start[b]; r++) _o.Row(r).Clear();
            for (var h = 0; h < heads; h++)
            {
                if (_dropout) DrawMask(ref draws, b, h);
                ForwardHead(b, h);
            }
        }
        if (_dropout) draws.Finish();
        graph.Record(this, _o);
        return _o;
    }

    // M on the live block of (b, h): the cells ((b·H + h)·L + slot_i)·L + slot_j of a full mask.
    private void DrawMask(ref DropoutDraws<T> draws, int b, int h)
    {
        int n = _blocks.Size[b], first = _blocks.First[b], length = _blocks.Window;
        var m = _mask.Data.AsSpan(_mask.Offset + _tile[b] + h * n * n, n * n);
        for (var i = 0; i < n; i++)
            draws.Fill(((long)(b * heads + h) * length + first + i) * length + first, m.Slice(i * n, n));
    }

    private void ForwardHead(int b, int h)
    {
        var (n, p, qAt, kvAt, oAt, tile) = Locate(b, h);
        if (n == 0) return;
        int m = p + n, width = heads * headSize;
        var q = _q.Data.AsSpan(qAt);
        var kv = _kv.Data.AsSpan(kvAt);
        var pads = _kv.Data.AsSpan(_kv.Offset + h * headSize);
        var s = _p.Data.AsSpan(_p.Offset + tile, n * m);
        // S = scale · Q Kᵀ on the live block, the shared pad keys first when there are any      [n, p + n]
        if (p > 0) Gemm.Multiply(false, true, n, p, headSize, _scale, q[_qc..], _q.Cols, pads[_kc..], _kv.Cols, T.Zero, s, m);
        Gemm.Multiply(false, true, n, n, headSize, _scale, q[_qc..], _q.Cols, kv[_kc..], _kv.Cols, T.Zero, s[p..], m);
        for (var i = 0; i < n; i++)
        {
            var row = s.Slice(i * m, m);
            var live = row[..(p + i + 1)];
            var max = TensorPrimitives.Max<T>(live);
            TensorPrimitives.Subtract(live, max, live);
            TensorPrimitives.Exp(live, live);
            TensorPrimitives.Multiply(live, T.One / TensorPrimitives.Sum<T>(live), live);
            row[(p + i + 1)..].Clear();
        }
        ReadOnlySpan<T> pd = s;
        if (_dropout)
        {
            var masked = _scratch.Value[..(n * m)];
            TensorPrimitives.Multiply(s, _mask.Data.AsSpan(_mask.Offset + tile, n * m), masked);
            pd = masked;
        }
        // O = P̃ V                                                                            [n, d_h]
        var o = _o.Value[oAt..];
        if (p > 0) Gemm.Multiply(false, false, n, headSize, p, T.One, pd, m, pads[_vc..], _kv.Cols, T.Zero, o, width);
        Gemm.Multiply(false, false, n, headSize, n, T.One, pd[p..], m, kv[_vc..], _kv.Cols, p > 0 ? T.One : T.Zero, o, width);
    }

    /// <summary>Where head h of block b lives: the live width n; the shared pad keys p it attends to first; the
    /// offsets of its first live q, kv and O elements; its [n, p + n] tile of P and M.</summary>
    private (int N, int P, int QAt, int KvAt, int OAt, int Tile) Locate(int b, int h)
    {
        int n = _blocks.Size[b], p = _blocks.Prefix[b], row = _blocks.Start[b];
        return (n, p, _q.Offset + row * _q.Cols + h * headSize, _kv.Offset + row * _kv.Cols + h * headSize,
            row * heads * headSize + h * headSize, _tile[b] + h * n * (p + n));
    }

    public void Backward()
    {
        for (var b = 0; b < _blocks.Count; b++)
        for (var h = 0; h < heads; h++)
            BackwardHead(b, h);
    }

    private void BackwardHead(int b, int h)
    {
        var (n, p, qAt, kvAt, oAt, tile) = Locate(b, h);
        if (n == 0) return;
        int m = p + n, width = heads * headSize, qStride = _q.Cols, kvStride = _kv.Cols;
        var q = _q.Data.AsSpan(qAt);
        var kv = _kv.Data.AsSpan(kvAt);
        var pads = _kv.Data.AsSpan(_kv.Offset + h * headSize);
        var dq = _q.Grad.AsSpan(qAt);
        var dkv = _kv.Grad.AsSpan(kvAt);
        var dPads = _kv.Grad.AsSpan(_kv.Offset + h * headSize);
        var s = _p.Data.AsSpan(_p.Offset + tile, n * m);
        var mask = _dropout ? _mask.Data.AsSpan(_mask.Offset + tile, n * m) : default;
        var dO = _o.Gradient[oAt..];
        var dP = _scratch.Value[..(n * m)];
        var pd = _scratch2.Value[..(n * m)];
        // dP̃ = dO Vᵀ; dV += P̃ᵀ dO (pad values first)
        if (p > 0) Gemm.Multiply(false, true, n, p, headSize, T.One, dO, width, pads[_vc..], kvStride, T.Zero, dP, m);
        Gemm.Multiply(false, true, n, n, headSize, T.One, dO, width, kv[_vc..], kvStride, T.Zero, dP[p..], m);
        if (_dropout) TensorPrimitives.Multiply(s, mask, pd);
        ReadOnlySpan<T> pt = _dropout ? pd : s;
        if (p > 0) Gemm.Multiply(true, false, p, headSize, n, T.One, pt, m, dO, width, T.One, dPads[_vc..], kvStride);
        Gemm.Multiply(true, false, n, headSize, n, T.One, pt[p..], m, dO, width, T.One, dkv[_vc..], kvStride);
        // dP = dP̃ ⊙ M; dS = P ⊙ (dP − Σ_j P dP)·scale (zero past the causal edge, where P is zero)
        if (_dropout) TensorPrimitives.Multiply(dP, mask, dP);
        for (var i = 0; i < n; i++)
        {
            var pr = s.Slice(i * m, p + i + 1);
            var dr = dP.Slice(i * m, m);
            var live = dr[..(p + i + 1)];
            var dot = TensorPrimitives.Dot<T>(pr, live);
            TensorPrimitives.Subtract(live, dot, live);
            TensorPrimitives.Multiply(live, pr, live);
            TensorPrimitives.Multiply(live, _scale, live);
            dr[(p + i + 1)..].Clear();
        }
        // dQ += dS K; dK += dSᵀ Q (pad keys first)
        if (p > 0)
        {
            Gemm.Multiply(false, false, n, headSize, p, T.One, dP, m, pads[_kc..], kvStride, T.One, dq[_qc..], qStride);
            Gemm.Multiply(true, false, p, headSize, n, T.One, dP, m, q[_qc..], qStride, T.One, dPads[_kc..], kvStride);
        }
        Gemm.Multiply(false, false, n, headSize, n, T.One, dP[p..], m, kv[_kc..], kvStride, T.One, dq[_qc..], qStride);
        Gemm.Multiply(true, false, n, headSize, n, T.One, dP[p..], m, q[_qc..], qStride, T.One, dkv[_kc..], kvStride);
    }
}
