using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// HSTU pointwise attention (Zhai et al. 2024, eq. 2; models.md §3), the native <c>Kernels.HstuAttention</c> batched over
/// sequences and heads: for Q, K, V [B·L, H·d_h] (column views of the fused projection),
///   S = α·Q_h K_hᵀ (+ R, shared by the heads);  A = SiLU(S)·β on the live cells, 0 elsewhere (masked after the SiLU);
///   Ã = Drop(A);  O_h = Ã V_h, heads concatenated → [B·L, H·d_h]. No row normalisation (no softmax).
/// With <c>softmax</c> (the HSTU "silu" ablation): A = softmax_j(S) over the live cells instead (β unused), 0 elsewhere.
/// </summary>
public static class HstuPointwiseAttention
{
    /// <param name="live">Bool, broadcastable to [B, L, L]: cell (i, j) may be attended (causal, and not a masked pad key).</param>
    /// <param name="positionBias">w_pos[L − 1 + j − i] as [L, L], or null.</param>
    /// <param name="timeBias">w_ts[b(τ_{i+1} − τ_j)] as [B, L, L], or null.</param>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, int sequences, int heads, double alpha, double beta,
        Tensor live, Tensor? positionBias, Tensor? timeBias, double dropout, bool training, bool softmax = false)
    {
        var width = q.shape[1];
        var length = q.shape[0] / sequences;
        Tensor Heads(Tensor x) => x.reshape(sequences, length, heads, width / heads).transpose(1, 2);   // [B, H, L, d_h]
        Tensor qh = Heads(q), kh = Heads(k), vh = Heads(v);

        // S = α Q Kᵀ + R                                                                     [B, H, L, L]
        var s = qh.matmul(kh.transpose(-2, -1)).mul(alpha);
        if (positionBias is not null) s = s.add(positionBias);
        if (timeBias is not null) s = s.add(timeBias.unsqueeze(1));
        // A = SiLU(S)·β ⊙ mask, then dropout (P-Law's Drop(A); the GR reference runs it at 0)
        var cells = live.unsqueeze(-3);
        var a = softmax ? RowSoftmax(s, cells) : where(cells, F.silu(s).mul(beta), zeros_like(s));
        a = F.dropout(a, dropout, training);
        // O = Ã V, heads side by side                                                        [B·L, H·d_h]
        return a.matmul(vh).transpose(1, 2).reshape(sequences * length, width);
    }

    // softmax over the live cells of each row, 0 elsewhere. A query with no live key (a left pad of the reference) gives a
    // NaN row, which the where replaces by 0; in the backward masked_fill zeroes the gradient of every masked cell, so the
    // NaN of that row reaches nothing (AblatedWindowOfOnlyPadsMatches).
    private static Tensor RowSoftmax(Tensor s, Tensor cells)
    {
        var p = s.masked_fill(cells.logical_not(), double.NegativeInfinity).softmax(-1);
        return where(cells, p, zeros_like(p));
    }

    /// <summary>C_ij = 1[j ≤ i], [L, L] bool.</summary>
    public static Tensor Causal(long length, Device device) =>
        ones(length, length, ScalarType.Bool, device).tril();
}
