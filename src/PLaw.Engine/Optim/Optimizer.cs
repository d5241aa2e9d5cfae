using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Optim;

/// <summary>
/// Adam, AdamW and SGD with momentum over the flat parameter array, with weight decay on the slots marked
/// <see cref="ParameterSlot.Decay"/> and the LSRM switch Adam → SGD. Moments live in arrays parallel to the
/// weights, so a step is a few vector loops and a checkpoint writes three arrays.
///   Adam (torch):  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr·(m/(1−β₁ᵗ)) / (√v/√(1−β₂ᵗ) + ε); L2 decay adds λw to g.
///   AdamW:         w ← w(1 − lr·λ) first (decoupled), then the Adam update.
///   SGD (torch):   b ← μb + g (+λw);  w ← w − lr·b.
/// </summary>
public sealed class Optimizer
{
    private readonly RunOptions _o;
    private readonly float[] _decayMask;

    public Optimizer(RunOptions options, ParameterLayout layout)
    {
        _o = options;
        Kind = options.Optimizer;
        M = new float[layout.Length];
        V = new float[layout.Length];
        _decayMask = new float[layout.Length];
        foreach (var s in layout.Slots)
            if (s.Decay) _decayMask.AsSpan(s.Offset, s.Length).Fill(1);
    }

    public OptimizerKind Kind { get; private set; }

    /// <summary>Adam steps taken (bias correction), or SGD steps since the switch.</summary>
    public long Steps { get; set; }

    /// <summary>First moment (Adam) or momentum buffer (SGD).</summary>
    public float[] M { get; }
    public float[] V { get; }

    /// <summary>Switch to SGD with momentum (LSRM): the momentum buffer starts at zero.</summary>
    public void SwitchToSgd()
    {
        if (Kind == OptimizerKind.Sgd) return;
        Kind = OptimizerKind.Sgd;
        Steps = 0;
        Array.Clear(M);
        Array.Clear(V);
    }

    public void Restore(OptimizerKind kind, long steps)
    {
        Kind = kind;
        Steps = steps;
    }

    // Clipping by global L2 norm (torch clip_grad_norm_): ‖g‖ = √(Σ over every parameter gradient g²), and when
    // ‖g‖ > c every gradient is multiplied by c / (‖g‖ + 1e-6). The trainer runs the three steps below over worker
    // ranges (sums of squares added in worker order, one factor, scaling per range); ClipNorm runs them over one span.
    public const double ClipEpsilon = 1e-6;

    /// <summary>Σg² over <paramref name="grads"/> (float accumulation); the global norm is √ of the sum over all ranges.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> grads) => TensorPrimitives.SumOfSquares<float>(grads);

    /// <summary>The factor every gradient is multiplied by: c / (‖g‖ + ε) when ‖g‖ &gt; c, else 1.</summary>
    public static double ClipFactor(double norm, double maxNorm) => norm > maxNorm ? maxNorm / (norm + ClipEpsilon) : 1;

    /// <summary>Multiplies <paramref name="grads"/> by <paramref name="factor"/> (nothing to do for 1).</summary>
    public static void Scale(Span<float> grads, double factor)
    {
        if (factor != 1) TensorPrimitives.Multiply(grads, (float)factor, grads);
    }

    /// <summary>Global gradient norm; scales the gradients to <paramref name="maxNorm"/> when above it. Returns the norm before.</summary>
    public static double ClipNorm(Span<float> grads, double maxNorm)
    {
        var norm = Math.Sqrt(SumOfSquares(grads));
        Scale(grads, ClipFactor(norm, maxNorm));
        return norm;
    }

    /// <summary>One update of <paramref name="w"/>[from..to) with gradients <paramref name="g"/> (modified when decaying).</summary>
    public void Step(Span<float> w, Span<float> g, double lr, int from, int to)
    {
        var wd = (float)_o.WeightDecay;
        var n = to - from;
        var ws = w.Slice(from, n);
        var gs = g.Slice(from, n);
        var m = M.AsSpan(from, n);
        var mask = _decayMask.AsSpan(from, n);
        if (Kind == OptimizerKind.Sgd)
        {
            var mu = (float)_o.Momentum;
            for (var i = 0; i < n; i++)
            {
                var gi = gs[i] + wd * mask[i] * ws[i];
                m[i] = mu * m[i] + gi;
                ws[i] -= (float)lr * m[i];
            }
            return;
        }
        var v = V.AsSpan(from, n);
        float b1 = (float)_o.Beta1, b2 = (float)_o.Beta2, eps = (float)_o.Epsilon;
        var t = Steps;
        var bc1 = 1 - Math.Pow(_o.Beta1, t);
        var bc2 = 1 - Math.Pow(_o.Beta2, t);
        var stepSize = (float)(lr / bc1);
        var invSqrtBc2 = (float)(1 / Math.Sqrt(bc2));
        var decoupled = Kind == OptimizerKind.AdamW;
        var shrink = (float)(lr * _o.WeightDecay);
        var i0 = 0;
        if (Vector.IsHardwareAccelerated && wd == 0)
        {
            var vw = Vector<float>.Count;
            var vb1 = new Vector<float>(b1);
            var vb1c = new Vector<float>(1 - b1);
            var vb2 = new Vector<float>(b2);
            var vb2c = new Vector<float>(1 - b2);
            var vEps = new Vector<float>(eps);
            var vStep = new Vector<float>(stepSize);
            var vInv = new Vector<float>(invSqrtBc2);
            for (; i0 + vw <= n; i0 += vw)
            {
                var gv = new Vector<float>(gs[i0..]);
                var mv = vb1 * new Vector<float>(m[i0..]) + vb1c * gv;
                var vv = vb2 * new Vector<float>(v[i0..]) + vb2c * gv * gv;
                var wv = new Vector<float>(ws[i0..]) - vStep * mv / (Vector.SquareRoot(vv) * vInv + vEps);
                mv.CopyTo(m[i0..]);
                vv.CopyTo(v[i0..]);
                wv.CopyTo(ws[i0..]);
            }
        }
        for (var i = i0; i < n; i++)
        {
            var gi = gs[i];
            if (wd != 0)
            {
                if (decoupled) ws[i] -= shrink * mask[i] * ws[i];
                else gi += wd * mask[i] * ws[i];
            }
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            ws[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * invSqrtBc2 + eps);
        }
    }
}
