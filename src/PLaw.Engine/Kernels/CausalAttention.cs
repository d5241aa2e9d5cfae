using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Causal softmax attention for all sequences and heads (SASRec, LLaMA). q, k, v are column ranges of one matrix
/// [B·L, ·] (the fused in-projection), or q of one and k, v of another (Kang's SASRec: Q = LN(x), K = V = x);
/// head h at columns col + h·d_h. Per (sequence, head), with small GEMMs on the strided head slices:
///   S = Q Kᵀ·scale with S_ij = −∞ for j &gt; i;  P = softmax_j(S) (row max subtracted);  P̃ = P ⊙ M (dropout);  O = P̃ V.
/// With item ids given (Kang's key and query masking), pad keys are also −∞ and pad query rows output zero; pads are
/// the left prefix of each window, so a real row i attends to [first real, i], and every product below runs on the
/// [first, L) sub-block only (Games windows are mostly padding, so this is most of the attention work saved).
/// Forward saves P and M. Backward (models.md §10):
///   dP̃ = dO Vᵀ, dV += P̃ᵀ dO, dP = dP̃ ⊙ M, dS = P ⊙ (dP − Σ_j dP⊙P)·scale, dQ += dS K, dK += dSᵀ Q.
/// Causal rows always keep the diagonal, so no real row is empty; masked cells have P = 0 and so get dS = 0.
/// </summary>
public sealed class CausalAttention<T>(Graph<T> graph, int heads, int headSize, double dropout) : IOp
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _q, _kv, _o, _p, _mask, _scratch, _scratch2;
    private int _qc, _kc, _vc, _length, _sequences;
    private int[] _first = [];
    private T _scale;
    private bool _dropout;

    public Var<T> Forward(Var<T> qkv, int qColumn, int kColumn, int vColumn, int length, double scale, int[]? ids = null) =>
        Forward(qkv, qColumn, qkv, kColumn, vColumn, length, scale, ids);

    public Var<T> Forward(Var<T> q, int qColumn, Var<T> kv, int kColumn, int vColumn, int length, double scale, int[]? ids = null)
    {
        // q, kv: [B·L, ·]; O: [B·L, H·d_h]; P, M: [B·H·L, L]
        if (q.Rows != kv.Rows) throw new ArgumentException($"Attention: {q.Rows} query rows but {kv.Rows} key rows.");
        (_q, _kv, _qc, _kc, _vc, _length, _scale) = (q, kv, qColumn, kColumn, vColumn, length, T.CreateTruncating(scale));
        _sequences = q.Rows / length;
        _o = graph.Alloc(q.Rows, heads * headSize);
        _p = graph.Arena.Alloc(_sequences * heads * length, length, false);
        _scratch = graph.Arena.Alloc(length, length, false);
        _scratch2 = graph.Arena.Alloc(length, length, false);
        _dropout = graph.Training && dropout > 0;
        if (_dropout)
        {
            _mask = graph.Arena.Alloc(_sequences * heads * length, length, false);
            Dropout<T>.Fill(graph.Rng, dropout, _mask.Value);
        }
        if (_first.Length < _sequences) _first = new int[_sequences];
        for (var b = 0; b < _sequences; b++)
        {
            _first[b] = ids is null ? 0 : FirstReal(ids.AsSpan(b * length, length));
            for (var h = 0; h < heads; h++) ForwardHead(b, h);
        }
        graph.Record(this, _o);
        return _o;
    }

    private void ForwardHead(int b, int h)
    {
        var (first, n, qAt, kvAt, oAt, tile, cell, span) = Locate(b, h);
        var length = _length;
        var width = heads * headSize;
        for (var i = b * length; i < b * length + first; i++) _o.Row(i).Slice(h * headSize, headSize).Clear();
        if (n == 0) return;
        var q = _q.Data.AsSpan(qAt);
        var kv = _kv.Data.AsSpan(kvAt);
        var p = _p.Data.AsSpan(_p.Offset + tile + cell, span);
        // S = scale · Q Kᵀ on the live block                                                 [n, n], row stride L
        Gemm.Multiply(false, true, n, n, headSize, _scale, q[_qc..], _q.Cols, kv[_kc..], _kv.Cols, T.Zero, p, length);
        for (var i = 0; i < n; i++)
        {
            var row = p.Slice(i * length, n);
            var live = row[..(i + 1)];
            var max = TensorPrimitives.Max<T>(live);
            TensorPrimitives.Subtract(live, max, live);
            TensorPrimitives.Exp(live, live);
            TensorPrimitives.Multiply(live, T.One / TensorPrimitives.Sum<T>(live), live);
            row[(i + 1)..].Clear();
        }
        ReadOnlySpan<T> pd = p;
        if (_dropout)
        {
            var masked = _scratch.Value.Slice(cell, span);
            TensorPrimitives.Multiply(p, _mask.Data.AsSpan(_mask.Offset + tile + cell, span), masked);
            pd = masked;
        }
        // O = P̃ V                                                                            [n, d_h]
        Gemm.Multiply(false, false, n, headSize, n, T.One, pd, length, kv[_vc..], _kv.Cols, T.Zero, _o.Value[oAt..], width);
    }

    /// <summary>Where head h of sequence b lives: its first real row; the live width n; the offsets of its first live
    /// q, kv and O elements; its [L, L] tile of P and M, and in any [L, L] tile the live block (from cell
    /// [first, first], row stride L, span cells). Only the live block of P, M and the scratch tiles is written or read.</summary>
    private (int First, int N, int QAt, int KvAt, int OAt, int Tile, int Cell, int Span) Locate(int b, int h)
    {
        int length = _length, first = _first[b], n = length - first, row = b * length + first;
        return (first, n, _q.Offset + row * _q.Cols + h * headSize, _kv.Offset + row * _kv.Cols + h * headSize,
            row * heads * headSize + h * headSize, (b * heads + h) * length * length, first * length + first,
            n == 0 ? 0 : (n - 1) * length + n);
    }

    private static int FirstReal(ReadOnlySpan<int> window)
    {
        var i = window.IndexOfAnyExcept(0);
        return i < 0 ? window.Length : i;
    }

    public void Backward()
    {
        for (var b = 0; b < _sequences; b++)
        for (var h = 0; h < heads; h++)
            BackwardHead(b, h);
    }

    private void BackwardHead(int b, int h)
    {
        var (_, n, qAt, kvAt, oAt, tile, cell, span) = Locate(b, h);
        if (n == 0) return;
        int length = _length, width = heads * headSize, qStride = _q.Cols, kvStride = _kv.Cols;
        var q = _q.Data.AsSpan(qAt);
        var kv = _kv.Data.AsSpan(kvAt);
        var dq = _q.Grad.AsSpan(qAt);
        var dkv = _kv.Grad.AsSpan(kvAt);
        var p = _p.Data.AsSpan(_p.Offset + tile + cell, span);
        var m = _dropout ? _mask.Data.AsSpan(_mask.Offset + tile + cell, span) : default;
        var dO = _o.Gradient[oAt..];
        var dP = _scratch.Value.Slice(cell, span);
        var pd = _scratch2.Value.Slice(cell, span);
        // dP̃ = dO Vᵀ; dV += P̃ᵀ dO
        Gemm.Multiply(false, true, n, n, headSize, T.One, dO, width, kv[_vc..], kvStride, T.Zero, dP, length);
        if (_dropout) TensorPrimitives.Multiply(p, m, pd);
        Gemm.Multiply(true, false, n, headSize, n, T.One, _dropout ? pd : p, length, dO, width, T.One, dkv[_vc..], kvStride);
        // dP = dP̃ ⊙ M; dS = P ⊙ (dP − Σ_j P dP)·scale (zero above the diagonal, where P is zero)
        if (_dropout) TensorPrimitives.Multiply(dP, m, dP);
        for (var i = 0; i < n; i++)
        {
            var pr = p.Slice(i * length, i + 1);
            var dr = dP.Slice(i * length, n);
            var live = dr[..(i + 1)];
            var dot = TensorPrimitives.Dot<T>(pr, live);
            TensorPrimitives.Subtract(live, dot, live);
            TensorPrimitives.Multiply(live, pr, live);
            TensorPrimitives.Multiply(live, _scale, live);
            dr[(i + 1)..].Clear();
        }
        // dQ += dS K; dK += dSᵀ Q
        Gemm.Multiply(false, false, n, headSize, n, T.One, dP, length, kv[_kc..], kvStride, T.One, dq[_qc..], qStride);
        Gemm.Multiply(true, false, n, headSize, n, T.One, dP, length, q[_qc..], qStride, T.One, dkv[_kc..], kvStride);
    }
}
