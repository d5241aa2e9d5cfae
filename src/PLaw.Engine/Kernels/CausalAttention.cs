using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Causal softmax attention for all sequences and heads (SASRec, LLaMA). q, k, v are column ranges of one matrix
/// [B·L, ·] (the fused in-projection), head h at columns col + h·d_h. Per (sequence, head):
///   S = Q Kᵀ·scale with S_ij = −∞ for j &gt; i;  P = softmax_j(S) (row max subtracted);  P̃ = P ⊙ M (dropout);  O = P̃ V.
/// Forward saves P and M. Backward (models.md §10):
///   dP̃ = dO Vᵀ, dV += P̃ᵀ dO, dP = dP̃ ⊙ M, dS = P ⊙ (dP − Σ_j dP⊙P), dQ += scale·dS K, dK += scale·dSᵀ Q.
/// Causal rows always keep the diagonal, so no row is empty.
/// </summary>
public sealed class CausalAttention<T>(Graph<T> graph, int heads, int headSize, double dropout) : IOp
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _qkv, _o, _p, _mask;
    private int _q, _k, _v, _length, _sequences;
    private T _scale;
    private bool _dropout;

    public Var<T> Forward(Var<T> qkv, int qColumn, int kColumn, int vColumn, int length, double scale)
    {
        // qkv: [B·L, ·]; O: [B·L, H·d_h]; P, M: [B·H·L, L]
        (_qkv, _q, _k, _v, _length, _scale) = (qkv, qColumn, kColumn, vColumn, length, T.CreateTruncating(scale));
        _sequences = qkv.Rows / length;
        var width = heads * headSize;
        _o = graph.Zeros(qkv.Rows, width);
        _p = graph.Arena.Alloc(_sequences * heads * length, length, false);
        _dropout = graph.Training && dropout > 0;
        if (_dropout)
        {
            _mask = graph.Arena.Alloc(_sequences * heads * length, length, false);
            Dropout<T>.Fill(graph.Rng, dropout, _mask.Value);
        }
        var stride = qkv.Cols;
        var data = qkv.Data;
        var ld = length;
        for (var b = 0; b < _sequences; b++)
        for (var h = 0; h < heads; h++)
        {
            var baseRow = b * length;
            var pBase = (b * heads + h) * length;
            for (var i = 0; i < length; i++)
            {
                var qi = data.AsSpan(qkv.Offset + (baseRow + i) * stride + _q + h * headSize, headSize);
                var pRow = _p.Row(pBase + i);
                var max = T.NegativeInfinity;
                for (var j = 0; j <= i; j++)
                {
                    var kj = data.AsSpan(qkv.Offset + (baseRow + j) * stride + _k + h * headSize, headSize);
                    var s = TensorPrimitives.Dot<T>(qi, kj) * _scale;
                    pRow[j] = s;
                    if (s > max) max = s;
                }
                var sum = T.Zero;
                for (var j = 0; j <= i; j++)
                {
                    var e = T.Exp(pRow[j] - max);
                    pRow[j] = e;
                    sum += e;
                }
                var inv = T.One / sum;
                TensorPrimitives.Multiply(pRow[..(i + 1)], inv, pRow[..(i + 1)]);
                pRow[(i + 1)..ld].Clear();
                var oi = _o.Row(baseRow + i).Slice(h * headSize, headSize);
                var mRow = _dropout ? _mask.Row(pBase + i) : default;
                for (var j = 0; j <= i; j++)
                {
                    var w = _dropout ? pRow[j] * mRow[j] : pRow[j];
                    if (w == T.Zero) continue;
                    var vj = data.AsSpan(qkv.Offset + (baseRow + j) * stride + _v + h * headSize, headSize);
                    TensorPrimitives.MultiplyAdd(vj, w, oi, oi);
                }
            }
        }
        graph.Record(this, _o);
        return _o;
    }

    public void Backward()
    {
        var length = _length;
        var stride = _qkv.Cols;
        var data = _qkv.Data;
        var grad = _qkv.Grad!;
        Span<T> dP = stackalloc T[length];
        for (var b = 0; b < _sequences; b++)
        for (var h = 0; h < heads; h++)
        {
            var baseRow = b * length;
            var pBase = (b * heads + h) * length;
            for (var i = 0; i < length; i++)
            {
                var pRow = _p.Row(pBase + i);
                var mRow = _dropout ? _mask.Row(pBase + i) : default;
                var dOi = _o.GradRow(baseRow + i).Slice(h * headSize, headSize);
                // dP̃_ij = dO_i·V_j; dV_j += P̃_ij dO_i; dP = dP̃ ⊙ M
                var dot = T.Zero;
                for (var j = 0; j <= i; j++)
                {
                    var vj = data.AsSpan(_qkv.Offset + (baseRow + j) * stride + _v + h * headSize, headSize);
                    var dvj = grad.AsSpan(_qkv.Offset + (baseRow + j) * stride + _v + h * headSize, headSize);
                    var m = _dropout ? mRow[j] : T.One;
                    var pd = pRow[j] * m;
                    if (pd != T.Zero) TensorPrimitives.MultiplyAdd(dOi, pd, dvj, dvj);
                    var d = m == T.Zero ? T.Zero : TensorPrimitives.Dot<T>(dOi, vj) * m;
                    dP[j] = d;
                    dot += d * pRow[j];
                }
                // dS_ij = P_ij (dP_ij − Σ_j P_ij dP_ij), then scaled: dQ_i += scale Σ_j dS_ij K_j; dK_j += scale dS_ij Q_i
                var qi = data.AsSpan(_qkv.Offset + (baseRow + i) * stride + _q + h * headSize, headSize);
                var dqi = grad.AsSpan(_qkv.Offset + (baseRow + i) * stride + _q + h * headSize, headSize);
                for (var j = 0; j <= i; j++)
                {
                    var ds = pRow[j] * (dP[j] - dot) * _scale;
                    if (ds == T.Zero) continue;
                    var kj = data.AsSpan(_qkv.Offset + (baseRow + j) * stride + _k + h * headSize, headSize);
                    var dkj = grad.AsSpan(_qkv.Offset + (baseRow + j) * stride + _k + h * headSize, headSize);
                    TensorPrimitives.MultiplyAdd(kj, ds, dqi, dqi);
                    TensorPrimitives.MultiplyAdd(qi, ds, dkj, dkj);
                }
            }
        }
    }
}
