using System.Numerics;
using System.Numerics.Tensors;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// y[R, out] = x[R, in]·Wᵀ + b, W stored [out, in] as torch.nn.Linear.
/// Backward: dx += dy·W, dW += dyᵀ·x, db += Σ_r dy_r.
/// </summary>
public sealed class Linear<T>(Graph<T> graph, ParameterSlot weight, ParameterSlot? bias) : IOp, IFlopCount
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y, _w;

    public long ForwardFlops => 2L * _x.Rows * weight.Cols * weight.Rows;
    public long BackwardFlops => ForwardFlops * (_x.HasGrad ? 2 : 1);   // dW always, dx when the input has a gradient

    public ParameterSlot Weight => weight;
    public ParameterSlot? Bias => bias;

    public Var<T> Forward(Var<T> x)
    {
        // x: [R, in], W: [out, in] → y: [R, out]
        var (rows, inDim, outDim) = (x.Rows, weight.Cols, weight.Rows);
        if (x.Cols != inDim) throw new ArgumentException($"Linear {weight.Name}: input has {x.Cols} columns, expected {inDim}.");
        _x = x;
        _w = graph.Param(weight);
        _y = graph.Alloc(rows, outDim);
        var beta = T.Zero;
        if (bias is not null)
        {
            var b = graph.Param(bias).Value;
            for (var r = 0; r < rows; r++) b.CopyTo(_y.Row(r));
            beta = T.One;
        }
        Gemm.Multiply(false, true, rows, outDim, inDim, T.One, x.Value, inDim, _w.Value, inDim, beta, _y.Value, outDim);
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        var (rows, inDim, outDim) = (_x.Rows, weight.Cols, weight.Rows);
        var dy = _y.Gradient;
        if (_x.HasGrad)
            Gemm.Multiply(false, false, rows, inDim, outDim, T.One, dy, outDim, _w.Value, inDim, T.One, _x.Gradient, inDim);
        Gemm.Multiply(true, false, outDim, inDim, rows, T.One, dy, outDim, _x.Value, inDim, T.One, _w.Gradient, inDim);
        if (bias is not null)
        {
            var db = graph.Param(bias).Gradient;
            for (var r = 0; r < rows; r++) TensorPrimitives.Add(db, _y.GradRow(r), db);
        }
    }
}
