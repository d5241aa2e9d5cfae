using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// BCE with one sampled negative per position (pmixer SASRec, every P-Law model; models.md §6.1):
///   ℓ = scale·Σ_t [softplus(−h_t·E_pos) + softplus(h_t·E_neg)] over positions with a target (pos ≠ 0),
/// scale = 1/(number of such positions in the whole batch), so the sum over workers is pmixer's mean(pos) + mean(neg).
/// Backward (gradient σ(x) − y): dh_t += scale[(σ(s⁺) − 1)E_pos + σ(s⁻)E_neg]; dE_pos += scale(σ(s⁺) − 1)h_t; dE_neg += scale σ(s⁻)h_t.
/// This op is the root of the tape: its own output gradient is 1.
/// </summary>
public sealed class BceLoss<T>(Graph<T> graph, ParameterSlot items) : IOp, IFlopCount where T : unmanaged, IFloatingPointIeee754<T>
{
    // Two dot products per row (2·d each); back: dH and dE for both (2·d each).
    public long ForwardFlops => 4L * _h.Rows * items.Cols;
    public long BackwardFlops => 8L * _h.Rows * items.Cols;

    private Var<T> _h, _logits;
    private int[] _pos = [], _neg = [];
    private int _offset;
    private T _scale;

    /// <returns>The (scaled) loss of these rows.</returns>
    public double Forward(Var<T> h, int[] positives, int[] negatives, int offset, double scale)
    {
        // h: [R, C]; positives, negatives: [R] at offset; logits saved [R, 2]
        (_h, _pos, _neg, _offset, _scale) = (h, positives, negatives, offset, T.CreateTruncating(scale));
        var e = graph.Param(items);
        _logits = graph.Arena.Alloc(h.Rows, 2, false);
        var loss = 0.0;
        for (var r = 0; r < h.Rows; r++)
        {
            var pos = positives[offset + r];
            if (pos == 0) continue;
            var sp = TensorPrimitives.Dot<T>(h.Row(r), e.Row(pos));
            var sn = TensorPrimitives.Dot<T>(h.Row(r), e.Row(negatives[offset + r]));
            _logits.Value[2 * r] = sp;
            _logits.Value[2 * r + 1] = sn;
            loss += double.CreateTruncating(Activation.Softplus(-sp) + Activation.Softplus(sn));
        }
        if (graph.Training) graph.Tape.Record(this);
        return loss * scale;
    }

    public void Backward()
    {
        var e = graph.Param(items);
        for (var r = 0; r < _h.Rows; r++)
        {
            var pos = _pos[_offset + r];
            if (pos == 0) continue;
            var neg = _neg[_offset + r];
            var gp = (Activation.Sigmoid(_logits.Value[2 * r]) - T.One) * _scale;
            var gn = Activation.Sigmoid(_logits.Value[2 * r + 1]) * _scale;
            var hr = _h.Row(r);
            if (_h.HasGrad)
            {
                var dh = _h.GradRow(r);
                TensorPrimitives.MultiplyAdd(e.Row(pos), gp, dh, dh);
                TensorPrimitives.MultiplyAdd(e.Row(neg), gn, dh, dh);
            }
            TensorPrimitives.MultiplyAdd(hr, gp, e.GradRow(pos), e.GradRow(pos));
            TensorPrimitives.MultiplyAdd(hr, gn, e.GradRow(neg), e.GradRow(neg));
        }
    }
}
