using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>y = a + b (residual connections). Backward: da += dy, db += dy.</summary>
public sealed class Add<T>(Graph<T> graph) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _a, _b, _y;

    public Var<T> Forward(Var<T> a, Var<T> b)
    {
        _a = a;
        _b = b;
        _y = graph.Alloc(a.Rows, a.Cols);
        TensorPrimitives.Add(a.Value, b.Value, _y.Value);
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        if (_a.HasGrad) TensorPrimitives.Add(_a.Gradient, _y.Gradient, _a.Gradient);
        if (_b.HasGrad) TensorPrimitives.Add(_b.Gradient, _y.Gradient, _b.Gradient);
    }
}

/// <summary>y = a ⊙ b[:, col..col+C) (HSTU's U ⊙ norm(AV), SwiGLU's gate). Backward: da += dy⊙b, db += dy⊙a.</summary>
public sealed class Multiply<T>(Graph<T> graph) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _a, _b, _y;
    private int _col;

    public Var<T> Forward(Var<T> a, Var<T> b, int bColumn = 0)
    {
        // a: [R, C], b: [R, ≥ col + C]
        (_a, _b, _col) = (a, b, bColumn);
        _y = graph.Alloc(a.Rows, a.Cols);
        for (var r = 0; r < a.Rows; r++)
            TensorPrimitives.Multiply(a.Row(r), b.Row(r).Slice(bColumn, a.Cols), _y.Row(r));
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var c = _a.Cols;
        for (var r = 0; r < _a.Rows; r++)
        {
            var dy = _y.GradRow(r);
            if (_a.HasGrad) TensorPrimitives.MultiplyAdd(dy, _b.Row(r).Slice(_col, c), _a.GradRow(r), _a.GradRow(r));
            if (_b.HasGrad) TensorPrimitives.MultiplyAdd(dy, _a.Row(r), _b.GradRow(r).Slice(_col, c), _b.GradRow(r).Slice(_col, c));
        }
    }
}

/// <summary>y = max(x, 0). Backward: dx += dy where y &gt; 0.</summary>
public sealed class Relu<T>(Graph<T> graph) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y;

    public Var<T> Forward(Var<T> x)
    {
        _x = x;
        _y = graph.Alloc(x.Rows, x.Cols);
        TensorPrimitives.Max(x.Value, T.Zero, _y.Value);
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var y = _y.Value;
        var dy = _y.Gradient;
        var dx = _x.Gradient;
        for (var i = 0; i < y.Length; i++)
            if (y[i] > T.Zero) dx[i] += dy[i];
    }
}

/// <summary>SiLU, y = x·σ(x), σ computed stably. Backward: dx += dy·σ(x)(1 + x(1 − σ(x))).</summary>
public sealed class Silu<T>(Graph<T> graph) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y, _s;

    // y = x·σ(x) in vector lanes; σ(x) is kept for the backward pass.
    public Var<T> Forward(Var<T> x)
    {
        _x = x;
        _y = graph.Alloc(x.Rows, x.Cols);
        _s = graph.Arena.Alloc(x.Rows, x.Cols, false);
        TensorPrimitives.Sigmoid<T>(x.Value, _s.Value);
        TensorPrimitives.Multiply<T>(x.Value, _s.Value, _y.Value);
        graph.Record(this, _y);
        return _y;
    }

    // dx += dy·silu′(x), silu′(x) = σ(1 + x(1 − σ)).
    public void Backward()
    {
        var xs = _x.Value;
        var s = _s.Value;
        var dy = _y.Gradient;
        var dx = _x.Gradient;
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var one = Vector<T>.One;
            for (; i <= xs.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var sv = new Vector<T>(s[i..]);
                (new Vector<T>(dx[i..]) + new Vector<T>(dy[i..]) * sv * (one + new Vector<T>(xs[i..]) * (one - sv))).CopyTo(dx[i..]);
            }
        }
        for (; i < xs.Length; i++) dx[i] += dy[i] * s[i] * (T.One + xs[i] * (T.One - s[i]));
    }
}

public static class Activation
{
    /// <summary>σ(x) without overflow: branch on the sign so exp never sees a large positive argument.</summary>
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (x >= T.Zero) return T.One / (T.One + T.Exp(-x));
        var e = T.Exp(x);
        return e / (T.One + e);
    }

    /// <summary>silu′(x) = σ(x)(1 + x(1 − σ(x))).</summary>
    public static T SiluDerivative<T>(T x) where T : IFloatingPointIeee754<T>
    {
        var s = Sigmoid(x);
        return s * (T.One + x * (T.One - s));
    }

    public static T Silu<T>(T x) where T : IFloatingPointIeee754<T> => x * Sigmoid(x);

    /// <summary>softplus(x) = max(x, 0) + log1p(e^(−|x|)).</summary>
    public static T Softplus<T>(T x) where T : IFloatingPointIeee754<T> =>
        T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));
}

/// <summary>
/// Inverted dropout: y = x ⊙ m, m = 0 with probability p else 1/(1 − p), drawn from the graph's seeded stream and
/// stored for backward (dx += dy ⊙ m). Identity (not recorded) outside training or at p = 0.
/// </summary>
public sealed class Dropout<T>(Graph<T> graph, double p) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y, _mask;

    public double P => p;

    public Var<T> Forward(Var<T> x)
    {
        if (!graph.Training || p <= 0) return x;
        _x = x;
        _y = graph.Alloc(x.Rows, x.Cols);
        _mask = graph.Arena.Alloc(x.Rows, x.Cols, false);
        Fill(graph.Rng, p, _mask.Value);
        TensorPrimitives.Multiply(x.Value, _mask.Value, _y.Value);
        graph.Record(this, _y);
        return _y;
    }

    /// <summary>Dropout on rows laid out by <paramref name="rows"/>: packed rows get the mask entries the padded
    /// [B·L, C] mask holds at their positions (<see cref="DropoutDraws{T}"/>), so packing changes no result.</summary>
    public Var<T> Forward(Var<T> x, SequenceBlocks? rows)
    {
        if (rows is null || !rows.Packed) return Forward(x);
        if (!graph.Training || p <= 0) return x;
        if (x.Rows != rows.Rows) throw new ArgumentException($"Dropout: {x.Rows} rows but the blocks index {rows.Rows}.");
        _x = x;
        _y = graph.Alloc(x.Rows, x.Cols);
        _mask = graph.Arena.Alloc(x.Rows, x.Cols, false);
        var draws = new DropoutDraws<T>(graph.Rng, p, (long)rows.Count * rows.Window * x.Cols);
        for (var r = 0; r < x.Rows; r++) draws.Fill((long)rows.PaddedRow[r] * x.Cols, _mask.Row(r));
        draws.Finish();
        TensorPrimitives.Multiply(x.Value, _mask.Value, _y.Value);
        graph.Record(this, _y);
        return _y;
    }

    /// <summary>Fills a mask: each 64-bit draw gives four 16-bit uniforms u, dropped when u &lt; round(p·65536)
    /// (p is resolved to 1/65536; 0.5 is exact).</summary>
    public static void Fill(Rng rng, double p, Span<T> mask)
    {
        var threshold = (uint)Math.Round(p * 65536);
        if (typeof(T) == typeof(float))
        {
            // Branch-free: bits = keep & −[u ≥ threshold] (dropout decisions are unpredictable branches).
            var bitsOut = System.Runtime.InteropServices.MemoryMarshal.Cast<T, uint>(mask);
            var keepBits = BitConverter.SingleToUInt32Bits((float)(1 / (1 - p)));
            var j = 0;
            for (; j + 4 <= bitsOut.Length; j += 4)
            {
                var bits = rng.NextUInt64();
                bitsOut[j] = keepBits & (uint)-(int)(((uint)bits & 0xFFFF) >= threshold ? 1 : 0);
                bitsOut[j + 1] = keepBits & (uint)-(int)(((uint)(bits >> 16) & 0xFFFF) >= threshold ? 1 : 0);
                bitsOut[j + 2] = keepBits & (uint)-(int)(((uint)(bits >> 32) & 0xFFFF) >= threshold ? 1 : 0);
                bitsOut[j + 3] = keepBits & (uint)-(int)((uint)(bits >> 48) >= threshold ? 1 : 0);
            }
            for (; j < bitsOut.Length; j++) bitsOut[j] = keepBits & (uint)-(int)((uint)(rng.NextUInt64() >> 48) >= threshold ? 1 : 0);
            return;
        }
        var keep = T.CreateTruncating(1 / (1 - p));
        var i = 0;
        for (; i + 4 <= mask.Length; i += 4)
        {
            var bits = rng.NextUInt64();
            mask[i] = (bits & 0xFFFF) < threshold ? T.Zero : keep;
            mask[i + 1] = (bits >> 16 & 0xFFFF) < threshold ? T.Zero : keep;
            mask[i + 2] = (bits >> 32 & 0xFFFF) < threshold ? T.Zero : keep;
            mask[i + 3] = (bits >> 48) < threshold ? T.Zero : keep;
        }
        for (; i < mask.Length; i++) mask[i] = (rng.NextUInt64() >> 48) < threshold ? T.Zero : keep;
    }

    public void Backward() => TensorPrimitives.MultiplyAdd(_y.Gradient, _mask.Value, _x.Gradient, _x.Gradient);
}
