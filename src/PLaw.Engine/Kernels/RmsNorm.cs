using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// RMSNorm over each row (LLaMA): r = (mean x² + ε)^(−1/2), x̂ = x·r, y = γ⊙x̂.
/// Backward (models.md §10): g = dy⊙γ, dx += r·(g − x̂·mean(g⊙x̂)); dγ += Σ dy⊙x̂.
/// </summary>
public sealed class RmsNorm<T>(Graph<T> graph, ParameterSlot gamma, double epsilon) : IOp, IFlopCount
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y, _r;

    // Nominal per element: square-sum, normalise, scale; back: one row sum and the combination.
    public long ForwardFlops => 4L * _x.Rows * _x.Cols;
    public long BackwardFlops => 7L * _x.Rows * _x.Cols;

    public Var<T> Forward(Var<T> x)
    {
        // x: [R, C]
        var (rows, c) = (x.Rows, x.Cols);
        _x = x;
        _y = graph.Alloc(rows, c);
        _r = graph.Arena.Alloc(rows, 1, false);
        var n = T.CreateTruncating(c);
        var eps = T.CreateTruncating(epsilon);
        var g = graph.Param(gamma).Value;
        for (var row = 0; row < rows; row++)
        {
            var xr = x.Row(row);
            var r = T.One / T.Sqrt(TensorPrimitives.SumOfSquares<T>(xr) / n + eps);
            _r.Value[row] = r;
            var yr = _y.Row(row);
            TensorPrimitives.Multiply(xr, r, yr);
            TensorPrimitives.Multiply(yr, g, yr);
        }
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var (rows, c) = (_x.Rows, _x.Cols);
        var n = T.CreateTruncating(c);
        var gp = graph.Param(gamma);
        Span<T> xhat = stackalloc T[c];
        Span<T> g = stackalloc T[c];
        for (var row = 0; row < rows; row++)
        {
            var dy = _y.GradRow(row);
            var r = _r.Value[row];
            TensorPrimitives.Multiply(_x.Row(row), r, xhat);
            TensorPrimitives.MultiplyAdd(dy, xhat, gp.Gradient, gp.Gradient);
            TensorPrimitives.Multiply(dy, gp.Value, g);
            var meanGx = TensorPrimitives.Dot<T>(g, xhat) / n;
            var dx = _x.GradRow(row);
            for (var i = 0; i < c; i++) dx[i] += r * (g[i] - xhat[i] * meanGx);
        }
    }
}
