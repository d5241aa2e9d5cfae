using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Training;

/// <summary>
/// The native <see cref="Optimizer"/> on the flat parameter tensor: Adam, AdamW and SGD with momentum, weight decay only
/// on the slots marked <see cref="ParameterSlot.Decay"/>, clipping by global norm (<see cref="Optimizer.ClipFactor"/>),
/// and the LSRM switch Adam → SGD, with the moments as tensors parallel to the weights (a checkpoint writes three arrays).
///   Adam (torch):  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − (lr/(1−β₁ᵗ))·m / (√v·(1/√(1−β₂ᵗ)) + ε); L2 decay adds λw to g.
///   AdamW:         w ← w − lr·λ·w first (decoupled), then the Adam update.
///   SGD (torch):   b ← μb + g (+λw);  w ← w − lr·b.
/// Padding rows (E[0], P[0]) are treated as the native optimiser treats them, i.e. like every other row: the models give
/// them no gradient, so they only move through decay. Constants are rounded to the working precision as the native
/// float code rounds them (β₁ and 1 − β₁ as floats, …), so a float32 step follows the native one closely.
/// </summary>
public sealed class TorchOptimizer : IDisposable
{
    private readonly RunOptions _o;
    private readonly Tensor _decayMask;
    private readonly bool _single;

    public TorchOptimizer(RunOptions options, ParameterLayout layout, Tensor weights)
    {
        _o = options;
        Kind = options.Optimizer;
        _single = weights.dtype == ScalarType.Float32;
        M = zeros_like(weights).requires_grad_(false);
        V = zeros_like(weights).requires_grad_(false);
        var mask = new float[layout.Length];
        foreach (var s in layout.Slots)
            if (s.Decay) mask.AsSpan(s.Offset, s.Length).Fill(1);
        _decayMask = tensor(mask, dtype: weights.dtype, device: weights.device);
    }

    public OptimizerKind Kind { get; private set; }

    /// <summary>Adam steps taken (bias correction), or SGD steps since the switch.</summary>
    public long Steps { get; set; }

    /// <summary>First moment (Adam) or momentum buffer (SGD); second moment.</summary>
    public Tensor M { get; }
    public Tensor V { get; }

    /// <summary>Switch to SGD with momentum (LSRM): the momentum buffer starts at zero.</summary>
    public void SwitchToSgd()
    {
        if (Kind == OptimizerKind.Sgd) return;
        Kind = OptimizerKind.Sgd;
        Steps = 0;
        using var _ = no_grad();
        M.zero_();
        V.zero_();
    }

    public void Restore(OptimizerKind kind, long steps, float[] m, float[] v)
    {
        Kind = kind;
        Steps = steps;
        using var _ = no_grad();
        using var tm = tensor(m, dtype: M.dtype, device: M.device);
        using var tv = tensor(v, dtype: V.dtype, device: V.device);
        M.copy_(tm);
        V.copy_(tv);
    }

    /// <summary>Torch's clip_grad_norm_ as the native trainer runs it: ‖g‖ over every gradient (summed in float64), and
    /// when ‖g‖ &gt; c the gradients times c / (‖g‖ + 1e-6). Returns the norm before clipping.</summary>
    public static double Clip(Tensor grads, double maxNorm)
    {
        using var _ = no_grad();
        using var squares = grads.square();
        using var sum = squares.sum(ScalarType.Float64);
        var norm = Math.Sqrt(sum.item<double>());
        var factor = Optimizer.ClipFactor(norm, maxNorm);
        if (factor != 1) grads.mul_(Working(factor, grads.dtype == ScalarType.Float32));
        return norm;
    }

    /// <summary>One update of <paramref name="w"/> with gradients <paramref name="g"/> at learning rate <paramref name="lr"/>.</summary>
    public void Step(Tensor w, Tensor g, double lr)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var wd = W(_o.WeightDecay);
        if (Kind == OptimizerKind.Sgd)
        {
            var gi = wd != 0 ? g + _decayMask * w * wd : g;
            M.mul_(W(_o.Momentum)).add_(gi);
            w.sub_(M * W(lr));
            return;
        }
        var b1 = W(_o.Beta1);
        var b2 = W(_o.Beta2);
        var t = Steps;
        var bc1 = 1 - Math.Pow(_o.Beta1, t);
        var bc2 = 1 - Math.Pow(_o.Beta2, t);
        var stepSize = W(lr / bc1);
        var invSqrtBc2 = W(1 / Math.Sqrt(bc2));
        var grad = g;
        if (wd != 0)
        {
            if (Kind == OptimizerKind.AdamW) w.sub_(_decayMask * w * W(lr * _o.WeightDecay));
            else grad = g + _decayMask * w * wd;
        }
        M.mul_(b1).add_(grad * W(1 - b1));
        V.mul_(b2).add_(grad * W(1 - b2) * grad);       // (1 − β₂)·g·g, in the native order
        var denom = V.sqrt().mul_(invSqrtBc2).add_(W(_o.Epsilon));
        w.sub_(M * stepSize / denom);
    }

    // A constant in the working precision: the native optimiser computes in float, with (float) constants.
    private double W(double value) => Working(value, _single);

    private static double Working(double value, bool single) => single ? (float)value : value;

    /// <summary>A moment (or any tensor) as a float array on the CPU, for a checkpoint.</summary>
    public static float[] AsSingle(Tensor moment)
    {
        using var cpu = moment.detach().to(ScalarType.Float32, CPU);
        return cpu.data<float>().ToArray();
    }

    public void Dispose()
    {
        M.Dispose();
        V.Dispose();
        _decayMask.Dispose();
    }
}
