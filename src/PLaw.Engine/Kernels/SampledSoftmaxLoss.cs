using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Sampled softmax with K negatives and temperature τ on L2-normalised vectors (generative-recommenders; models.md §6.2):
///   ĥ = h/max(‖h‖, ε), ê = e/max(‖e‖, ε), ε = 1e-6;  z₀ = ĥ·ê_pos/τ, z_k = ĥ·ê_{n_k}/τ, z_k := −5·10⁴ where n_k = pos;
///   ℓ = scale·Σ_t (logsumexp(z) − z₀), logsumexp = m + log Σ exp(z − m).
/// Backward: dz = scale·(softmax(z) − onehot₀), 0 on masked logits; dĥ = Σ dz_c ê_c/τ, dê_c = dz_c ĥ/τ; through the
/// L2 norm dx = (dx̂ − x̂(x̂·dx̂))/‖x‖ (dx̂/ε when clamped).
/// </summary>
public sealed class SampledSoftmaxLoss<T>(Graph<T> graph, ParameterSlot items, double temperature) : IOp
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Epsilon = 1e-6;
    private static readonly T Masked = T.CreateTruncating(-5e4);
    private Var<T> _h, _p;
    private int[] _pos = [], _neg = [];
    private int _k;
    private T _scale;

    public double Forward(Var<T> h, int[] positives, int[] negatives, int k, double scale)
    {
        // h: [R, C]; negatives: [R·K]; softmax saved [R, K+1]
        (_h, _pos, _neg, _k, _scale) = (h, positives, negatives, k, T.CreateTruncating(scale));
        var e = graph.Param(items);
        _p = graph.Arena.Alloc(h.Rows, k + 1, false);
        var invTau = T.CreateTruncating(1 / temperature);
        var loss = 0.0;
        for (var r = 0; r < h.Rows; r++)
        {
            var pos = positives[r];
            if (pos == 0) continue;
            var hr = h.Row(r);
            var hn = T.Max(T.Sqrt(TensorPrimitives.SumOfSquares<T>(hr)), T.CreateTruncating(Epsilon));
            var z = _p.Row(r);
            for (var j = 0; j <= k; j++)
            {
                var id = j == 0 ? pos : negatives[r * k + j - 1];
                if (j > 0 && id == pos) { z[j] = Masked; continue; }
                var er = e.Row(id);
                var en = T.Max(T.Sqrt(TensorPrimitives.SumOfSquares<T>(er)), T.CreateTruncating(Epsilon));
                z[j] = TensorPrimitives.Dot<T>(hr, er) / (hn * en) * invTau;
            }
            var max = TensorPrimitives.Max<T>(z);
            var sum = T.Zero;
            for (var j = 0; j <= k; j++) sum += T.Exp(z[j] - max);
            var lse = max + T.Log(sum);
            loss += double.CreateTruncating(lse - z[0]);
            for (var j = 0; j <= k; j++) z[j] = T.Exp(z[j] - lse); // keep softmax(z) for backward
        }
        if (graph.Training) graph.Tape.Record(this);
        return loss * scale;
    }

    public void Backward()
    {
        var e = graph.Param(items);
        var c = _h.Cols;
        var eps = T.CreateTruncating(Epsilon);
        var invTau = T.CreateTruncating(1 / temperature);
        Span<T> hHat = stackalloc T[c];
        Span<T> dhHat = stackalloc T[c];
        Span<T> eHat = stackalloc T[c];
        Span<T> deHat = stackalloc T[c];
        for (var r = 0; r < _h.Rows; r++)
        {
            var pos = _pos[r];
            if (pos == 0) continue;
            var hr = _h.Row(r);
            var hNorm = T.Sqrt(TensorPrimitives.SumOfSquares<T>(hr));
            var hDen = T.Max(hNorm, eps);
            TensorPrimitives.Divide(hr, hDen, hHat);
            dhHat.Clear();
            var p = _p.Row(r);
            for (var j = 0; j <= _k; j++)
            {
                var id = j == 0 ? pos : _neg[r * _k + j - 1];
                if (j > 0 && id == pos) continue;
                var dz = (p[j] - (j == 0 ? T.One : T.Zero)) * _scale * invTau;
                var er = e.Row(id);
                var eNorm = T.Sqrt(TensorPrimitives.SumOfSquares<T>(er));
                var eDen = T.Max(eNorm, eps);
                TensorPrimitives.Divide(er, eDen, eHat);
                TensorPrimitives.MultiplyAdd(eHat, dz, dhHat, dhHat);
                TensorPrimitives.Multiply(hHat, dz, deHat);
                L2Backward(eHat, deHat, eNorm, eps, e.GradRow(id));
            }
            if (_h.HasGrad) L2Backward(hHat, dhHat, hNorm, eps, _h.GradRow(r));
        }
    }

    /// <summary>y = x/max(‖x‖, ε): dx += (dy − y(y·dy))/‖x‖, or dy/ε when the norm is clamped.</summary>
    public static void L2Backward(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, T norm, T eps, Span<T> dx)
    {
        if (norm <= eps)
        {
            TensorPrimitives.MultiplyAdd(dy, T.One / eps, dx, dx);
            return;
        }
        var dot = TensorPrimitives.Dot(y, dy);
        var inv = T.One / norm;
        for (var i = 0; i < dx.Length; i++) dx[i] += (dy[i] - y[i] * dot) * inv;
    }
}
