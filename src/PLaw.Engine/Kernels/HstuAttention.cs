using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// HSTU pointwise attention (Zhai et al. 2024; models.md §3), per sequence and head on column ranges of one matrix:
///   S_ij = α·Q_i·K_j + R_ij;  A_ij = SiLU(S_ij)·β for key j ≤ i (and j ≥ the sequence's first real slot when given),
///   else 0 (masked after the SiLU);  Ã = A ⊙ M (dropout);  O = Ã V.
/// GR reference: α = 1, β = 1/N, R_ij = w_pos[N−1+j−i] + w_ts[bucket_ij] (shared by heads). P-Law: α = 1/√d_h, β = 1, no R.
/// No row normalisation. Backward (models.md §10): dÃ = dO Vᵀ, dV += Ãᵀ dO, dS = dÃ⊙M·β·silu′(S), dQ += α dS K,
/// dK += α dSᵀ Q; the bias gradients scatter-add dS into w_pos and w_ts (collisions accumulate).
/// </summary>
public sealed class HstuAttention<T>(Graph<T> graph, int heads, int headSize, double dropout, ParameterSlot? positionBias = null,
    ParameterSlot? timeBias = null) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _o, _s, _mask;
    private int _q, _k, _v, _length, _sequences;
    private T _alpha, _beta;
    private int[]? _keyStart, _buckets;
    private bool _dropout;

    /// <param name="keyStart">Per sequence, the first key slot that may be attended (left pads before it), or null.</param>
    /// <param name="buckets">Time-bias bucket per [sequence, i, j] (B·L·L), or null for bucket 0.</param>
    public Var<T> Forward(Var<T> x, int qColumn, int kColumn, int vColumn, int length, double alpha, double beta,
        int[]? keyStart, int[]? buckets)
    {
        (_x, _q, _k, _v, _length, _keyStart, _buckets) = (x, qColumn, kColumn, vColumn, length, keyStart, buckets);
        (_alpha, _beta) = (T.CreateTruncating(alpha), T.CreateTruncating(beta));
        _sequences = x.Rows / length;
        _o = graph.Zeros(x.Rows, heads * headSize);
        _s = graph.Arena.Alloc(_sequences * heads * length, length, false);
        _dropout = graph.Training && dropout > 0;
        if (_dropout)
        {
            _mask = graph.Arena.Alloc(_sequences * heads * length, length, false);
            Dropout<T>.Fill(graph.Rng, dropout, _mask.Value);
        }
        var wPos = positionBias is null ? default : graph.Param(positionBias);
        var wTs = timeBias is null ? default : graph.Param(timeBias);
        var stride = x.Cols;
        var data = x.Data;
        for (var b = 0; b < _sequences; b++)
        {
            var start = keyStart?[b] ?? 0;
            for (var h = 0; h < heads; h++)
            {
                var baseRow = b * length;
                var sBase = (b * heads + h) * length;
                for (var i = 0; i < length; i++)
                {
                    var qi = data.AsSpan(x.Offset + (baseRow + i) * stride + _q + h * headSize, headSize);
                    var oi = _o.Row(baseRow + i).Slice(h * headSize, headSize);
                    var sRow = _s.Row(sBase + i);
                    for (var j = start; j <= i; j++)
                    {
                        var kj = data.AsSpan(x.Offset + (baseRow + j) * stride + _k + h * headSize, headSize);
                        var s = _alpha * TensorPrimitives.Dot<T>(qi, kj);
                        if (positionBias is not null) s += wPos.Value[length - 1 + j - i];
                        if (timeBias is not null) s += wTs.Value[buckets?[(baseRow + i) * length + j] ?? 0];
                        sRow[j] = s;
                        var a = Activation.Silu(s) * _beta;
                        if (_dropout) a *= _mask.Row(sBase + i)[j];
                        if (a == T.Zero) continue;
                        var vj = data.AsSpan(x.Offset + (baseRow + j) * stride + _v + h * headSize, headSize);
                        TensorPrimitives.MultiplyAdd(vj, a, oi, oi);
                    }
                }
            }
        }
        graph.Record(this, _o);
        return _o;
    }

    public void Backward()
    {
        var length = _length;
        var stride = _x.Cols;
        var data = _x.Data;
        var grad = _x.Grad!;
        var wPos = positionBias is null ? default : graph.Param(positionBias);
        var wTs = timeBias is null ? default : graph.Param(timeBias);
        for (var b = 0; b < _sequences; b++)
        {
            var start = _keyStart?[b] ?? 0;
            for (var h = 0; h < heads; h++)
            {
                var baseRow = b * length;
                var sBase = (b * heads + h) * length;
                for (var i = 0; i < length; i++)
                {
                    var dOi = _o.GradRow(baseRow + i).Slice(h * headSize, headSize);
                    var qi = data.AsSpan(_x.Offset + (baseRow + i) * stride + _q + h * headSize, headSize);
                    var dqi = grad.AsSpan(_x.Offset + (baseRow + i) * stride + _q + h * headSize, headSize);
                    var sRow = _s.Row(sBase + i);
                    for (var j = start; j <= i; j++)
                    {
                        var m = _dropout ? _mask.Row(sBase + i)[j] : T.One;
                        if (m == T.Zero) continue;
                        var vj = data.AsSpan(_x.Offset + (baseRow + j) * stride + _v + h * headSize, headSize);
                        var dvj = grad.AsSpan(_x.Offset + (baseRow + j) * stride + _v + h * headSize, headSize);
                        var s = sRow[j];
                        var a = Activation.Silu(s) * _beta * m;
                        TensorPrimitives.MultiplyAdd(dOi, a, dvj, dvj);
                        var ds = TensorPrimitives.Dot<T>(dOi, vj) * m * _beta * Activation.SiluDerivative(s);
                        var kj = data.AsSpan(_x.Offset + (baseRow + j) * stride + _k + h * headSize, headSize);
                        var dkj = grad.AsSpan(_x.Offset + (baseRow + j) * stride + _k + h * headSize, headSize);
                        TensorPrimitives.MultiplyAdd(kj, ds * _alpha, dqi, dqi);
                        TensorPrimitives.MultiplyAdd(qi, ds * _alpha, dkj, dkj);
                        if (positionBias is not null) wPos.Gradient[length - 1 + j - i] += ds;
                        if (timeBias is not null) wTs.Gradient[_buckets?[(baseRow + i) * length + j] ?? 0] += ds;
                    }
                }
            }
        }
    }

    /// <summary>b(Δ) = clamp(⌊ln(max(|Δ|, 1))/0.301⌋, 0, 128) (GR's log-spaced time buckets).</summary>
    public static int Bucket(long delta) =>
        Math.Clamp((int)Math.Floor(Math.Log(Math.Max(Math.Abs((double)delta), 1)) / 0.301), 0, 128);
}
