using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>y = x/max(‖x‖, ε) per row (GR's output normalisation). Backward: dx += (dy − y(y·dy))/‖x‖ (dy/ε when clamped).</summary>
public sealed class L2Normalize<T>(Graph<T> graph, double epsilon = 1e-6) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y, _norm;

    public Var<T> Forward(Var<T> x)
    {
        _x = x;
        _y = graph.Alloc(x.Rows, x.Cols);
        _norm = graph.Arena.Alloc(x.Rows, 1, false);
        var eps = T.CreateTruncating(epsilon);
        for (var r = 0; r < x.Rows; r++)
        {
            var n = T.Sqrt(TensorPrimitives.SumOfSquares<T>(x.Row(r)));
            _norm.Value[r] = n;
            TensorPrimitives.Divide(x.Row(r), T.Max(n, eps), _y.Row(r));
        }
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var eps = T.CreateTruncating(epsilon);
        for (var r = 0; r < _x.Rows; r++)
            SampledSoftmaxLoss<T>.L2Backward(_y.Row(r), _y.GradRow(r), _norm.Value[r], eps, _x.GradRow(r));
    }
}

/// <summary>y_r = x_r · 1[keep_r] (HSTU zeroes pad rows). Backward: dx_r += dy_r where kept.</summary>
public sealed class RowMask<T>(Graph<T> graph) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y;
    private int[] _ids = [];

    /// <summary>Keeps the rows whose id in <paramref name="ids"/> is non-zero.</summary>
    public Var<T> Forward(Var<T> x, int[] ids)
    {
        (_x, _ids) = (x, ids);
        _y = graph.Alloc(x.Rows, x.Cols);
        for (var r = 0; r < x.Rows; r++)
            if (ids[r] != 0) x.Row(r).CopyTo(_y.Row(r));
            else _y.Row(r).Clear();
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        for (var r = 0; r < _x.Rows; r++)
            if (_ids[r] != 0) TensorPrimitives.Add(_x.GradRow(r), _y.GradRow(r), _x.GradRow(r));
    }
}
