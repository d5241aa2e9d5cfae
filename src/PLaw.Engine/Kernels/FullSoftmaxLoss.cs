using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Full softmax cross-entropy over all items (models.md §6.3): ℓ = scale·Σ_t (logsumexp_{i=1..I}(h_t·E_i) − h_t·E_pos).
/// Rows are processed in chunks: logits [chunk, I+1] = h·Eᵀ by GEMM (item 0, the pad, masked to −∞), so the full
/// score matrix never exists; backward recomputes a chunk's logits, G = scale·(softmax − onehot), dh += G·E, dE += Gᵀ·h.
/// </summary>
public sealed class FullSoftmaxLoss<T>(Graph<T> graph, ParameterSlot items) : IOp, IFlopCount where T : unmanaged, IFloatingPointIeee754<T>
{
    // Logits against every item (2·d per pair) and their log-sum-exp; back: the logits again, dH and dE (2·d each).
    public long ForwardFlops => (long)_h.Rows * items.Rows * (2L * items.Cols + 3);
    public long BackwardFlops => (long)_h.Rows * items.Rows * (6L * items.Cols + 3);

    private const int Chunk = 32;
    private Var<T> _h, _scratch;
    private int[] _pos = [];
    private T _scale;

    public double Forward(Var<T> h, int[] positives, double scale)
    {
        (_h, _pos, _scale) = (h, positives, T.CreateTruncating(scale));
        var e = graph.Param(items);
        var n = items.Rows;
        _scratch = graph.Arena.Alloc(Chunk, n, false);
        var loss = 0.0;
        for (var r0 = 0; r0 < h.Rows; r0 += Chunk)
        {
            var rows = Math.Min(Chunk, h.Rows - r0);
            Logits(h, e.Value, r0, rows);
            for (var i = 0; i < rows; i++)
            {
                var pos = positives[r0 + i];
                if (pos == 0) continue;
                var z = _scratch.Row(i);
                loss += double.CreateTruncating(LogSumExp(z) - z[pos]);
            }
        }
        if (graph.Training) graph.Tape.Record(this);
        return loss * scale;
    }

    private void Logits(Var<T> h, Span<T> e, int r0, int rows)
    {
        var n = items.Rows;
        var c = h.Cols;
        Gemm.Multiply(false, true, rows, n, c, T.One, h.Data.AsSpan(h.Offset + r0 * c, rows * c), c, e, c, T.Zero,
            _scratch.Value, n);
        for (var i = 0; i < rows; i++) _scratch.Row(i)[0] = T.NegativeInfinity;
    }

    /// <summary>m + log Σ exp(z − m), m = max z.</summary>
    public static T LogSumExp(ReadOnlySpan<T> z)
    {
        var max = TensorPrimitives.Max(z);
        var sum = T.Zero;
        foreach (var v in z) sum += T.Exp(v - max);
        return max + T.Log(sum);
    }

    public void Backward()
    {
        var e = graph.Param(items);
        var n = items.Rows;
        var c = _h.Cols;
        for (var r0 = 0; r0 < _h.Rows; r0 += Chunk)
        {
            var rows = Math.Min(Chunk, _h.Rows - r0);
            Logits(_h, e.Value, r0, rows);
            for (var i = 0; i < rows; i++)
            {
                var z = _scratch.Row(i);
                var pos = _pos[r0 + i];
                if (pos == 0) { z.Clear(); continue; }
                var lse = LogSumExp(z);
                for (var j = 0; j < n; j++) z[j] = T.Exp(z[j] - lse) * _scale;
                z[pos] -= _scale;
                z[0] = T.Zero;
            }
            if (_h.HasGrad)
                Gemm.Multiply(false, false, rows, c, n, T.One, _scratch.Value, n, e.Value, c, T.One,
                    _h.Grad.AsSpan(_h.Offset + r0 * c, rows * c), c);
            Gemm.Multiply(true, false, n, c, rows, T.One, _scratch.Value, n, _h.Data.AsSpan(_h.Offset + r0 * c, rows * c), c,
                T.One, e.Gradient, c);
        }
    }
}
