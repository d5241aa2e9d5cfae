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
/// Work runs per sequence on its live block (<see cref="SequenceBlocks"/>): the whole window, or with a first real
/// slot the [first, L) block (pad queries there have no keys and output zero), or packed rows holding only that block.
/// Dropout mask cells are the entries a full [B·H·L, L] mask holds there, so every layout draws the same mask.
/// No row normalisation. Small GEMMs per (sequence, head) on the strided head slices. Backward (models.md §10): dÃ = dO Vᵀ, dV += Ãᵀ dO, dS = dÃ⊙M·β·silu′(S), dQ += α dS K,
/// dK += α dSᵀ Q; the bias gradients scatter-add dS into w_pos and w_ts (collisions accumulate).
/// With <c>softmax</c> (the HSTU "silu" ablation) the weights are the row softmax over the same live cells instead,
/// A_ij = exp(S_ij)/Σ_live exp(S_ij') (β unused), and dS = P⊙(dP − Σ_j dP⊙P) with dP = dÃ⊙M (models.md §10).
/// </summary>
public sealed class HstuAttention<T>(Graph<T> graph, int heads, int headSize, double dropout, ParameterSlot? positionBias = null,
    ParameterSlot? timeBias = null, bool softmax = false) : IOp, IFlopCount where T : unmanaged, IFloatingPointIeee754<T>
{
    // Per live cell and head: α Q Kᵀ and Ã V, 2·d_h each, plus the bias, SiLU and β (a nominal 6) …
    public long ForwardFlops => (long)heads * _blocks.Cells * (4L * headSize + 6);
    // … and back: dÃ = dO Vᵀ, dV, dQ, dK, 2·d_h each, and silu′.
    public long BackwardFlops => (long)heads * _blocks.Cells * (8L * headSize + 6);

    private readonly SequenceBlocks _padded = new();
    private SequenceBlocks _blocks = new();
    private Var<T> _x, _o, _s, _mask, _scratch, _scratch2;
    private int _q, _k, _v;
    private int[] _tile = [];
    private T _alpha, _beta;
    private int[]? _buckets;
    private bool _dropout;

    /// <param name="keyStart">Per sequence, the first key slot that may be attended (left pads before it), or null.</param>
    /// <param name="buckets">Time-bias bucket per [sequence, i, j] (B·L·L, window slots), or null for bucket 0.</param>
    public Var<T> Forward(Var<T> x, int qColumn, int kColumn, int vColumn, int length, double alpha, double beta,
        int[]? keyStart, int[]? buckets)
    {
        var count = x.Rows / length;
        _padded.SetPadded(count, length, keyStart);
        return Forward(x, qColumn, kColumn, vColumn, _padded, alpha, beta, buckets);
    }

    /// <summary>Attention on explicit blocks (padded or packed rows of x); buckets are indexed by window slots.</summary>
    public Var<T> Forward(Var<T> x, int qColumn, int kColumn, int vColumn, SequenceBlocks blocks, double alpha, double beta,
        int[]? buckets)
    {
        // x: [rows, ·]; O: [rows, H·d_h]; S, M: H·Σ n² cells
        if (x.Rows != blocks.Rows) throw new ArgumentException($"HSTU attention: {x.Rows} rows but the blocks index {blocks.Rows}.");
        (_x, _q, _k, _v, _blocks, _buckets) = (x, qColumn, kColumn, vColumn, blocks, buckets);
        (_alpha, _beta) = (T.CreateTruncating(alpha), T.CreateTruncating(beta));
        int count = blocks.Count, length = blocks.Window, width = heads * headSize;
        _o = graph.Alloc(x.Rows, width);
        _s = graph.Arena.Alloc(heads * blocks.Cells, 1, false);
        _scratch = graph.Arena.Alloc(length, length, false);
        _scratch2 = graph.Arena.Alloc(length, length, false);
        if (_tile.Length < count) _tile = new int[count];
        for (int b = 0, cells = 0; b < count; b++)
        {
            _tile[b] = cells;
            cells += heads * blocks.Size[b] * (blocks.Prefix[b] + blocks.Size[b]);
        }
        _dropout = graph.Training && dropout > 0;
        var draws = _dropout ? new DropoutDraws<T>(graph.Rng, dropout, (long)count * heads * length * length) : default;
        if (_dropout) _mask = graph.Arena.Alloc(heads * blocks.Cells, 1, false);
        if (_dropout && blocks.SharedPads) throw new InvalidOperationException("Shared pad rows need dropout off (each window's pads would draw their own masks).");
        if (timeBias is not null && blocks.SharedPads) throw new InvalidOperationException("Shared pad rows have no timestamps.");
        var wPos = positionBias is null ? default : graph.Param(positionBias);
        var wTs = timeBias is null ? default : graph.Param(timeBias);
        var stride = x.Cols;
        var data = x.Data.AsSpan(x.Offset);
        for (var b = 0; b < count; b++)
        {
            int n = blocks.Size[b], p = blocks.Prefix[b], m = p + n, row = blocks.Start[b], first = blocks.First[b];
            if (!blocks.Packed)
                for (var r = b * length; r < row; r++) _o.Row(r).Clear();
            for (var h = 0; h < heads; h++)
            {
                var tile = _tile[b] + h * n * m;
                var mask = _dropout ? _mask.Data.AsSpan(_mask.Offset + tile, n * m) : default;
                if (_dropout)
                    for (var i = 0; i < n; i++)
                        draws.Fill(((long)(b * heads + h) * length + first + i) * length + first, mask.Slice(i * n, n));
                if (n == 0) continue;
                var rowBase = row * stride + h * headSize;
                var padBase = h * headSize;
                var s = _s.Data.AsSpan(_s.Offset + tile, n * m);
                var a = _scratch.Value[..(n * m)];
                // S = α Q Kᵀ (+ R), the shared pad keys first when there are any                  [n, p + n]
                if (p > 0)
                    Gemm.Multiply(false, true, n, p, headSize, _alpha, data[(rowBase + _q)..], stride, data[(padBase + _k)..], stride, T.Zero, s, m);
                Gemm.Multiply(false, true, n, n, headSize, _alpha, data[(rowBase + _q)..], stride, data[(rowBase + _k)..], stride,
                    T.Zero, s[p..], m);
                a.Clear();
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j <= p + i; j++)
                    {
                        var sij = s[i * m + j];
                        var slotJ = j < p ? j : first + j - p;
                        if (positionBias is not null) sij += wPos.Value[length - 1 + slotJ - (first + i)];
                        if (timeBias is not null) sij += wTs.Value[Bucket(b, first + i, slotJ)];
                        s[i * m + j] = sij;
                    }
                    // A = SiLU(S)·β (or the row softmax) on the causal, non-pad cells, then dropout
                    Weights(s.Slice(i * m, p + i + 1), a.Slice(i * m, p + i + 1), _dropout ? mask.Slice(i * m, p + i + 1) : default);
                }
                // O = Ã V                                                                        [n, d_h]
                var o = _o.Value[(row * width + h * headSize)..];
                if (p > 0) Gemm.Multiply(false, false, n, headSize, p, T.One, a, m, data[(padBase + _v)..], stride, T.Zero, o, width);
                Gemm.Multiply(false, false, n, headSize, n, T.One, a[p..], m, data[(rowBase + _v)..], stride, p > 0 ? T.One : T.Zero, o, width);
            }
        }
        if (_dropout) draws.Finish();
        graph.Record(this, _o);
        return _o;
    }

    private int Bucket(int b, int slotI, int slotJ) =>
        _buckets is null ? 0 : _buckets[((long)b * _blocks.Window + slotI) * _blocks.Window + slotJ];

    public void Backward()
    {
        var length = _blocks.Window;
        var stride = _x.Cols;
        var width = heads * headSize;
        var data = _x.Data.AsSpan(_x.Offset);
        var grad = _x.Grad.AsSpan(_x.Offset);
        var wPos = positionBias is null ? default : graph.Param(positionBias);
        var wTs = timeBias is null ? default : graph.Param(timeBias);
        for (var b = 0; b < _blocks.Count; b++)
        {
            int n = _blocks.Size[b], p = _blocks.Prefix[b], m = p + n, row = _blocks.Start[b], first = _blocks.First[b];
            if (n == 0) continue;
            for (var h = 0; h < heads; h++)
            {
                var rowBase = row * stride + h * headSize;
                var padBase = h * headSize;
                var tile = _tile[b] + h * n * m;
                var s = _s.Data.AsSpan(_s.Offset + tile, n * m);
                var mask = _dropout ? _mask.Data.AsSpan(_mask.Offset + tile, n * m) : default;
                var dOh = _o.Gradient[(row * width + h * headSize)..];
                var a = _scratch.Value[..(n * m)];
                var dA = _scratch2.Value[..(n * m)];
                a.Clear();
                for (var i = 0; i < n; i++)
                    Weights(s.Slice(i * m, p + i + 1), a.Slice(i * m, p + i + 1), _dropout ? mask.Slice(i * m, p + i + 1) : default);
                // dÃ = dO Vᵀ; dV += Ãᵀ dO (pad values first)
                if (p > 0)
                {
                    Gemm.Multiply(false, true, n, p, headSize, T.One, dOh, width, data[(padBase + _v)..], stride, T.Zero, dA, m);
                    Gemm.Multiply(true, false, p, headSize, n, T.One, a, m, dOh, width, T.One, grad[(padBase + _v)..], stride);
                }
                Gemm.Multiply(false, true, n, n, headSize, T.One, dOh, width, data[(rowBase + _v)..], stride, T.Zero, dA[p..], m);
                Gemm.Multiply(true, false, n, headSize, n, T.One, a[p..], m, dOh, width, T.One, grad[(rowBase + _v)..], stride);
                // dS = dÃ ⊙ M · β · silu′(S) on live cells (0 elsewhere), or P ⊙ (dP − Σ dP⊙P) with dP = dÃ ⊙ M for the
                // softmax (P recomputed into Ã's rows, which dV no longer needs); bias gradients scatter-add dS
                for (var i = 0; i < n; i++)
                {
                    var dr = dA.Slice(i * m, m);
                    var pr = a.Slice(i * m, p + i + 1);
                    var dot = T.Zero;
                    if (softmax)
                    {
                        Weights(s.Slice(i * m, p + i + 1), pr, default);
                        for (var j = 0; j <= p + i; j++) dot += dr[j] * (_dropout ? mask[i * m + j] : T.One) * pr[j];
                    }
                    for (var j = 0; j < m; j++)
                    {
                        if (j > p + i) { dr[j] = T.Zero; continue; }
                        var mij = _dropout ? mask[i * m + j] : T.One;
                        var ds = softmax ? pr[j] * (dr[j] * mij - dot) : dr[j] * mij * _beta * Activation.SiluDerivative(s[i * m + j]);
                        dr[j] = ds;
                        var slotJ = j < p ? j : first + j - p;
                        if (positionBias is not null) wPos.Gradient[length - 1 + slotJ - (first + i)] += ds;
                        if (timeBias is not null) wTs.Gradient[Bucket(b, first + i, slotJ)] += ds;
                    }
                }
                // dQ += α dS K; dK += α dSᵀ Q (pad keys first)
                if (p > 0)
                {
                    Gemm.Multiply(false, false, n, headSize, p, _alpha, dA, m, data[(padBase + _k)..], stride, T.One, grad[(rowBase + _q)..], stride);
                    Gemm.Multiply(true, false, p, headSize, n, _alpha, dA, m, data[(rowBase + _q)..], stride, T.One, grad[(padBase + _k)..], stride);
                }
                Gemm.Multiply(false, false, n, headSize, n, _alpha, dA[p..], m, data[(rowBase + _k)..], stride, T.One,
                    grad[(rowBase + _q)..], stride);
                Gemm.Multiply(true, false, n, headSize, n, _alpha, dA[p..], m, data[(rowBase + _q)..], stride, T.One,
                    grad[(rowBase + _k)..], stride);
            }
        }
    }

    /// <summary>One query row's weights over its live keys: SiLU(S)·β, or softmax(S) (max subtracted); then ⊙ the dropout
    /// mask when one is given.</summary>
    private void Weights(ReadOnlySpan<T> s, Span<T> a, ReadOnlySpan<T> mask)
    {
        if (softmax)
        {
            var max = T.NegativeInfinity;
            foreach (var v in s) max = T.Max(max, v);
            var sum = T.Zero;
            for (var j = 0; j < s.Length; j++) sum += a[j] = T.Exp(s[j] - max);
            for (var j = 0; j < s.Length; j++) a[j] /= sum;
        }
        else
            for (var j = 0; j < s.Length; j++) a[j] = Activation.Silu(s[j]) * _beta;
        if (!mask.IsEmpty)
            for (var j = 0; j < s.Length; j++) a[j] *= mask[j];
    }

    /// <summary>b(Δ) = clamp(⌊ln(max(|Δ|, 1))/0.301⌋, 0, 128) (GR's log-spaced time buckets).</summary>
    public static int Bucket(long delta) =>
        Math.Clamp((int)Math.Floor(Math.Log(Math.Max(Math.Abs((double)delta), 1)) / 0.301), 0, 128);
}
