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
/// No row normalisation. Small GEMMs per (sequence, head) on the strided head slices. Backward (models.md §10): dÃ = dO Vᵀ, dV += Ãᵀ dO, dS = dÃ⊙M·β·silu′(S), dQ += α dS K,
/// dK += α dSᵀ Q; the bias gradients scatter-add dS into w_pos and w_ts (collisions accumulate).
/// </summary>
public sealed class HstuAttention<T>(Graph<T> graph, int heads, int headSize, double dropout, ParameterSlot? positionBias = null,
    ParameterSlot? timeBias = null) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _o, _s, _mask, _scratch, _scratch2;
    private int _q, _k, _v, _length, _sequences;
    private T _alpha, _beta;
    private int[]? _keyStart, _buckets;
    private bool _dropout;

    /// <param name="keyStart">Per sequence, the first key slot that may be attended (left pads before it), or null.</param>
    /// <param name="buckets">Time-bias bucket per [sequence, i, j] (B·L·L), or null for bucket 0.</param>
    public Var<T> Forward(Var<T> x, int qColumn, int kColumn, int vColumn, int length, double alpha, double beta,
        int[]? keyStart, int[]? buckets)
    {
        // x: [B·L, ·]; O: [B·L, H·d_h]; S, M: [B·H·L, L]
        (_x, _q, _k, _v, _length, _keyStart, _buckets) = (x, qColumn, kColumn, vColumn, length, keyStart, buckets);
        (_alpha, _beta) = (T.CreateTruncating(alpha), T.CreateTruncating(beta));
        _sequences = x.Rows / length;
        var width = heads * headSize;
        _o = graph.Alloc(x.Rows, width);
        _s = graph.Arena.Alloc(_sequences * heads * length, length, false);
        _scratch = graph.Arena.Alloc(length, length, false);
        _scratch2 = graph.Arena.Alloc(length, length, false);
        _dropout = graph.Training && dropout > 0;
        if (_dropout)
        {
            _mask = graph.Arena.Alloc(_sequences * heads * length, length, false);
            Dropout<T>.Fill(graph.Rng, dropout, _mask.Value);
        }
        var wPos = positionBias is null ? default : graph.Param(positionBias);
        var wTs = timeBias is null ? default : graph.Param(timeBias);
        var stride = x.Cols;
        var data = x.Data.AsSpan(x.Offset);
        var a = _scratch.Value;
        for (var b = 0; b < _sequences; b++)
        {
            var start = keyStart?[b] ?? 0;
            for (var h = 0; h < heads; h++)
            {
                var rowBase = b * length * stride + h * headSize;
                var block = (b * heads + h) * length * length;
                var s = _s.Data.AsSpan(_s.Offset + block, length * length);
                // S = α Q Kᵀ (+ R)                                                              [L, L]
                Gemm.Multiply(false, true, length, length, headSize, _alpha, data[(rowBase + _q)..], stride, data[(rowBase + _k)..], stride,
                    T.Zero, s, length);
                a.Clear();
                for (var i = 0; i < length; i++)
                for (var j = start; j <= i; j++)
                {
                    var sij = s[i * length + j];
                    if (positionBias is not null) sij += wPos.Value[length - 1 + j - i];
                    if (timeBias is not null) sij += wTs.Value[buckets?[(b * length + i) * length + j] ?? 0];
                    s[i * length + j] = sij;
                    // A = SiLU(S)·β on the causal, non-pad cells, then dropout
                    var aij = Activation.Silu(sij) * _beta;
                    a[i * length + j] = _dropout ? aij * _mask.Value[block + i * length + j] : aij;
                }
                // O = Ã V                                                                        [L, d_h]
                Gemm.Multiply(false, false, length, headSize, length, T.One, a, length, data[(rowBase + _v)..], stride, T.Zero,
                    _o.Value[(b * length * width + h * headSize)..], width);
            }
        }
        graph.Record(this, _o);
        return _o;
    }

    public void Backward()
    {
        var length = _length;
        var stride = _x.Cols;
        var width = heads * headSize;
        var data = _x.Data.AsSpan(_x.Offset);
        var grad = _x.Grad.AsSpan(_x.Offset);
        var wPos = positionBias is null ? default : graph.Param(positionBias);
        var wTs = timeBias is null ? default : graph.Param(timeBias);
        var a = _scratch.Value;
        var dA = _scratch2.Value;
        for (var b = 0; b < _sequences; b++)
        {
            var start = _keyStart?[b] ?? 0;
            for (var h = 0; h < heads; h++)
            {
                var rowBase = b * length * stride + h * headSize;
                var block = (b * heads + h) * length * length;
                var s = _s.Data.AsSpan(_s.Offset + block, length * length);
                var dOh = _o.Gradient[(b * length * width + h * headSize)..];
                a.Clear();
                for (var i = 0; i < length; i++)
                for (var j = start; j <= i; j++)
                {
                    var aij = Activation.Silu(s[i * length + j]) * _beta;
                    a[i * length + j] = _dropout ? aij * _mask.Value[block + i * length + j] : aij;
                }
                // dÃ = dO Vᵀ; dV += Ãᵀ dO
                Gemm.Multiply(false, true, length, length, headSize, T.One, dOh, width, data[(rowBase + _v)..], stride, T.Zero, dA, length);
                Gemm.Multiply(true, false, length, headSize, length, T.One, a, length, dOh, width, T.One, grad[(rowBase + _v)..], stride);
                // dS = dÃ ⊙ M · β · silu′(S) on live cells (0 elsewhere); bias gradients scatter-add dS
                for (var i = 0; i < length; i++)
                {
                    var row = dA.Slice(i * length, length);
                    for (var j = 0; j < length; j++)
                    {
                        if (j < start || j > i) { row[j] = T.Zero; continue; }
                        var m = _dropout ? _mask.Value[block + i * length + j] : T.One;
                        var ds = row[j] * m * _beta * Activation.SiluDerivative(s[i * length + j]);
                        row[j] = ds;
                        if (positionBias is not null) wPos.Gradient[length - 1 + j - i] += ds;
                        if (timeBias is not null) wTs.Gradient[_buckets?[(b * length + i) * length + j] ?? 0] += ds;
                    }
                }
                // dQ += α dS K; dK += α dSᵀ Q
                Gemm.Multiply(false, false, length, headSize, length, _alpha, dA, length, data[(rowBase + _k)..], stride, T.One,
                    grad[(rowBase + _q)..], stride);
                Gemm.Multiply(true, false, length, headSize, length, _alpha, dA, length, data[(rowBase + _q)..], stride, T.One,
                    grad[(rowBase + _k)..], stride);
            }
        }
    }

    /// <summary>b(Δ) = clamp(⌊ln(max(|Δ|, 1))/0.301⌋, 0, 128) (GR's log-spaced time buckets).</summary>
    public static int Bucket(long delta) =>
        Math.Clamp((int)Math.Floor(Math.Log(Math.Max(Math.Abs((double)delta), 1)) / 0.301), 0, 128);
}
