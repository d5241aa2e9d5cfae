using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Layer norm over each row of x[R, C]: x̂ = (x − μ)/√(σ² + ε), y = γ⊙x̂ + β (no γ, β when <paramref name="gamma"/> is null,
/// the HSTU LN₀). Forward saves μ and 1/σ per row.
/// Backward (models.md §10): g = dy⊙γ, dx += (g − mean g − x̂·mean(g⊙x̂))/σ; dγ += Σ dy⊙x̂; dβ += Σ dy.
/// </summary>
public sealed class LayerNorm<T>(Graph<T> graph, ParameterSlot? gamma, ParameterSlot? beta, double epsilon) : IOp, IFlopCount
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y, _mean, _rstd;

    // Nominal per element: mean, variance, normalise, scale and shift; back: two row sums and the combination.
    public long ForwardFlops => 7L * _x.Rows * _x.Cols;
    public long BackwardFlops => 10L * _x.Rows * _x.Cols;

    public Var<T> Forward(Var<T> x)
    {
        // x: [R, C]
        var (rows, c) = (x.Rows, x.Cols);
        _x = x;
        _y = graph.Alloc(rows, c);
        _mean = graph.Arena.Alloc(rows, 1, false);
        _rstd = graph.Arena.Alloc(rows, 1, false);
        var n = T.CreateTruncating(c);
        var eps = T.CreateTruncating(epsilon);
        var g = gamma is null ? default : graph.Param(gamma);
        var b = beta is null ? default : graph.Param(beta);
        for (var r = 0; r < rows; r++)
        {
            var xr = x.Row(r);
            var yr = _y.Row(r);
            var mean = TensorPrimitives.Sum<T>(xr) / n;
            TensorPrimitives.Subtract(xr, mean, yr);
            var variance = TensorPrimitives.SumOfSquares<T>(yr) / n;
            var rstd = T.One / T.Sqrt(variance + eps);
            TensorPrimitives.Multiply(yr, rstd, yr);
            if (gamma is not null) TensorPrimitives.Multiply(yr, g.Value, yr);
            if (beta is not null) TensorPrimitives.Add(yr, b.Value, yr);
            _mean.Value[r] = mean;
            _rstd.Value[r] = rstd;
        }
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var (rows, c) = (_x.Rows, _x.Cols);
        var n = T.CreateTruncating(c);
        var gp = gamma is null ? default : graph.Param(gamma);
        var bp = beta is null ? default : graph.Param(beta);
        Span<T> xhat = stackalloc T[c];
        Span<T> g = stackalloc T[c];
        for (var r = 0; r < rows; r++)
        {
            var dy = _y.GradRow(r);
            TensorPrimitives.Subtract(_x.Row(r), _mean.Value[r], xhat);
            var rstd = _rstd.Value[r];
            TensorPrimitives.Multiply(xhat, rstd, xhat);
            if (gamma is not null)
            {
                TensorPrimitives.MultiplyAdd(dy, xhat, gp.Gradient, gp.Gradient);
                TensorPrimitives.Multiply(dy, gp.Value, g);
            }
            else dy.CopyTo(g);
            if (beta is not null) TensorPrimitives.Add(bp.Gradient, dy, bp.Gradient);
            var meanG = TensorPrimitives.Sum<T>(g) / n;
            var meanGx = TensorPrimitives.Dot<T>(g, xhat) / n;
            // dx += rstd·(g − meanG − x̂·meanGx)
            var dx = _x.GradRow(r);
            for (var i = 0; i < c; i++) dx[i] += rstd * (g[i] - meanG - xhat[i] * meanGx);
        }
    }
}
