using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Causal softmax attention for all sequences and heads (SASRec, LLaMA). q, k, v are column ranges of one matrix
/// [B·L, ·] (the fused in-projection), head h at columns col + h·d_h. Per (sequence, head), with small GEMMs on the
/// strided head slices:
///   S = Q Kᵀ·scale with S_ij = −∞ for j &gt; i;  P = softmax_j(S) (row max subtracted);  P̃ = P ⊙ M (dropout);  O = P̃ V.
/// Forward saves P and M. Backward (models.md §10):
///   dP̃ = dO Vᵀ, dV += P̃ᵀ dO, dP = dP̃ ⊙ M, dS = P ⊙ (dP − Σ_j dP⊙P)·scale, dQ += dS K, dK += dSᵀ Q.
/// Causal rows always keep the diagonal, so no row is empty.
/// </summary>
public sealed class CausalAttention<T>(Graph<T> graph, int heads, int headSize, double dropout) : IOp
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _qkv, _o, _p, _mask, _scratch, _scratch2;
    private int _q, _k, _v, _length, _sequences;
    private T _scale;
    private bool _dropout;

    public Var<T> Forward(Var<T> qkv, int qColumn, int kColumn, int vColumn, int length, double scale)
    {
        // qkv: [B·L, ·]; O: [B·L, H·d_h]; P, M: [B·H·L, L]
        (_qkv, _q, _k, _v, _length, _scale) = (qkv, qColumn, kColumn, vColumn, length, T.CreateTruncating(scale));
        _sequences = qkv.Rows / length;
        var width = heads * headSize;
        _o = graph.Alloc(qkv.Rows, width);
        _p = graph.Arena.Alloc(_sequences * heads * length, length, false);
        _scratch = graph.Arena.Alloc(length, length, false);
        _scratch2 = graph.Arena.Alloc(length, length, false);
        _dropout = graph.Training && dropout > 0;
        if (_dropout)
        {
            _mask = graph.Arena.Alloc(_sequences * heads * length, length, false);
            Dropout<T>.Fill(graph.Rng, dropout, _mask.Value);
        }
        var stride = qkv.Cols;
        var data = qkv.Data.AsSpan(qkv.Offset);
        var o = _o.Value;
        for (var b = 0; b < _sequences; b++)
        for (var h = 0; h < heads; h++)
        {
            var rowBase = b * length * stride + h * headSize;
            var p = _p.Data.AsSpan(_p.Offset + (b * heads + h) * length * length, length * length);
            // S = scale · Q Kᵀ                                                               [L, L]
            Gemm.Multiply(false, true, length, length, headSize, _scale, data[(rowBase + _q)..], stride, data[(rowBase + _k)..], stride,
                T.Zero, p, length);
            for (var i = 0; i < length; i++)
            {
                var row = p.Slice(i * length, length);
                var live = row[..(i + 1)];
                var max = TensorPrimitives.Max<T>(live);
                TensorPrimitives.Subtract(live, max, live);
                TensorPrimitives.Exp(live, live);
                TensorPrimitives.Multiply(live, T.One / TensorPrimitives.Sum<T>(live), live);
                row[(i + 1)..].Clear();
            }
            var pd = p;
            if (_dropout)
            {
                pd = _scratch.Value;
                TensorPrimitives.Multiply(p, _mask.Data.AsSpan(_mask.Offset + (b * heads + h) * length * length, length * length), pd);
            }
            // O = P̃ V                                                                        [L, d_h]
            Gemm.Multiply(false, false, length, headSize, length, T.One, pd, length, data[(rowBase + _v)..], stride, T.Zero,
                o[(b * length * width + h * headSize)..], width);
        }
        graph.Record(this, _o);
        return _o;
    }

    public void Backward()
    {
        var length = _length;
        var stride = _qkv.Cols;
        var width = heads * headSize;
        var data = _qkv.Data.AsSpan(_qkv.Offset);
        var grad = _qkv.Grad.AsSpan(_qkv.Offset);
        var dO = _o.Gradient;
        var dP = _scratch.Value;
        var pd = _scratch2.Value;
        for (var b = 0; b < _sequences; b++)
        for (var h = 0; h < heads; h++)
        {
            var rowBase = b * length * stride + h * headSize;
            var p = _p.Data.AsSpan(_p.Offset + (b * heads + h) * length * length, length * length);
            var m = _dropout ? _mask.Data.AsSpan(_mask.Offset + (b * heads + h) * length * length, length * length) : default;
            var dOh = dO[(b * length * width + h * headSize)..];
            // dP̃ = dO Vᵀ; dV += P̃ᵀ dO
            Gemm.Multiply(false, true, length, length, headSize, T.One, dOh, width, data[(rowBase + _v)..], stride, T.Zero, dP, length);
            if (_dropout) TensorPrimitives.Multiply(p, m, pd);
            Gemm.Multiply(true, false, length, headSize, length, T.One, _dropout ? pd : p, length, dOh, width, T.One,
                grad[(rowBase + _v)..], stride);
            // dP = dP̃ ⊙ M; dS = P ⊙ (dP − Σ_j P dP)·scale (zero above the diagonal, where P is zero)
            if (_dropout) TensorPrimitives.Multiply(dP, m, dP);
            for (var i = 0; i < length; i++)
            {
                var pr = p.Slice(i * length, i + 1);
                var dr = dP.Slice(i * length, length);
                var dot = TensorPrimitives.Dot<T>(pr, dr[..(i + 1)]);
                TensorPrimitives.Subtract(dr[..(i + 1)], dot, dr[..(i + 1)]);
                TensorPrimitives.Multiply(dr[..(i + 1)], pr, dr[..(i + 1)]);
                TensorPrimitives.Multiply(dr[..(i + 1)], _scale, dr[..(i + 1)]);
                dr[(i + 1)..].Clear();
            }
            // dQ += dS K; dK += dSᵀ Q
            Gemm.Multiply(false, false, length, headSize, length, T.One, dP, length, data[(rowBase + _k)..], stride, T.One,
                grad[(rowBase + _q)..], stride);
            Gemm.Multiply(true, false, length, headSize, length, T.One, dP, length, data[(rowBase + _q)..], stride, T.One,
                grad[(rowBase + _k)..], stride);
        }
    }
}
