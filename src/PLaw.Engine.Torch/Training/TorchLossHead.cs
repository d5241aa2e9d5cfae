using PLaw.Engine.Torch.Models;
using PLaw.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Training;

/// <summary>
/// The training objective on a torch model's hidden states, the same math and scaling as the native
/// <see cref="LossHead{T}"/> and its kernels (models.md §6); autograd does the backward. Every loss sums over positions
/// with a target (target ≠ 0) and multiplies by <c>scale</c> = 1/(targets in the batch), so it is the batch's mean.
///   BCE (§6.1, BceLoss):                 Σ_t softplus(−h_t·E_pos) + softplus(h_t·E_neg), one negative per position.
///   Sampled softmax (§6.2, SampledSoftmaxLoss): ĥ = h/max(‖h‖, ε), ê = e/max(‖e‖, ε), ε = 1e-6; z₀ = ĥ·ê_pos/τ,
///                                        z_k = ĥ·ê_{n_k}/τ, z_k := −5·10⁴ (no gradient) where n_k = pos; Σ_t logsumexp(z) − z₀.
///   Full softmax (§6.3, FullSoftmaxLoss): Σ_t logsumexp_{i=1..I}(h_t·E_i) − h_t·E_pos (item 0, the pad, at −∞).
/// The sum runs in float64 whatever the model's dtype, as the native kernels accumulate the loss in double.
/// </summary>
public sealed class TorchLossHead(RunOptions options)
{
    private const double Epsilon = 1e-6, Masked = -5e4;

    /// <summary>The scaled loss as a 0-d float64 tensor; <c>backward()</c> on it fills the model's gradients.</summary>
    /// <param name="h">Hidden states [B·L, d].</param>
    /// <param name="items">The item table [I + 1, d].</param>
    public Tensor Forward(Tensor h, Tensor items, TorchBatch batch, double scale)
    {
        using var scope = NewDisposeScope();
        var targets = batch.Targets.reshape(-1);
        var rows = targets.nonzero().squeeze(1);
        var hr = h.index_select(0, rows);
        var pos = targets.index_select(0, rows);
        var loss = options.Loss switch
        {
            LossKind.Bce => Bce(hr, items, pos, batch.Negatives.index_select(0, rows).select(1, 0)),
            LossKind.SampledSoftmax => Sampled(hr, items, pos, batch.Negatives.index_select(0, rows)),
            _ => Full(hr, items, pos),
        };
        return loss.sum(ScalarType.Float64).mul(scale).MoveToOuterDisposeScope();
    }

    // softplus(x) = log(1 + eˣ): torch's kernel returns x itself above 20, where log1p(e⁻ˣ) < 2.1e-9 (the native
    // softplus keeps that term; the difference is below the parity bar).
    private static Tensor Bce(Tensor h, Tensor items, Tensor pos, Tensor neg)
    {
        var sp = (h * items.index_select(0, pos)).sum(1);
        var sn = (h * items.index_select(0, neg)).sum(1);
        return nn.functional.softplus(-sp) + nn.functional.softplus(sn);
    }

    private Tensor Sampled(Tensor h, Tensor items, Tensor pos, Tensor negatives)
    {
        var ids = cat([pos.unsqueeze(1), negatives], 1);                              // [R, K + 1]
        var e = items.index_select(0, ids.reshape(-1)).view(ids.shape[0], ids.shape[1], -1);
        var hNorm = linalg.vector_norm(h, 2, [1], true).clamp_min(Epsilon);           // [R, 1]
        var eNorm = linalg.vector_norm(e, 2, [2], false).clamp_min(Epsilon);          // [R, K + 1]
        var dots = bmm(e, h.unsqueeze(2)).squeeze(2);                                 // h·e_c
        var z = dots / (hNorm * eNorm) * (1 / options.Temperature);
        var collide = ids.eq(pos.unsqueeze(1));
        collide.select(1, 0).fill_(false);
        z = z.masked_fill(collide, Masked);
        return z.logsumexp(1, false) - z.select(1, 0);
    }

    private static Tensor Full(Tensor h, Tensor items, Tensor pos)
    {
        var logits = h.matmul(items.t());                                              // [R, I + 1]
        using var pad = zeros(1, ScalarType.Int64, logits.device);
        logits = logits.index_fill(1, pad, double.NegativeInfinity);
        return logits.logsumexp(1, false) - logits.gather(1, pos.unsqueeze(1)).squeeze(1);
    }
}
