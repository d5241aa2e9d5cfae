using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Rotary position embedding (LLaMA; models.md §4) on columns [col, col + width) of x[B·L, C], heads of size d_h:
/// adjacent pairs (2i, 2i+1), θ_i = 10000^(−2i/d_h), position t = row mod L (index in the left-padded window), or
/// given per row (packed rows keep their window slot):
///   (a, b) → (a cos tθ_i − b sin tθ_i, a sin tθ_i + b cos tθ_i). Other columns pass through.
/// An orthogonal rotation, so backward rotates the gradient by −tθ_i. Tables are computed in double.
/// </summary>
public sealed class Rope<T>(Graph<T> graph, int headSize) : IOp where T : unmanaged, IFloatingPointIeee754<T>
{
    private Var<T> _x, _y;
    private int _col, _width, _length;
    private int[]? _positions;
    private T[] _cos = [], _sin = [];

    private void Tables(int length)
    {
        var half = headSize / 2;
        if (_cos.Length == length * half) return;
        _cos = new T[length * half];
        _sin = new T[length * half];
        for (var t = 0; t < length; t++)
        for (var i = 0; i < half; i++)
        {
            var angle = t * Math.Pow(10000, -2.0 * i / headSize);
            _cos[t * half + i] = T.CreateTruncating(Math.Cos(angle));
            _sin[t * half + i] = T.CreateTruncating(Math.Sin(angle));
        }
    }

    public Var<T> Forward(Var<T> x, int column, int width, int length) => Forward(x, column, width, length, null);

    /// <param name="positions">Position of each row (its window slot), or null for row mod <paramref name="length"/>.</param>
    public Var<T> Forward(Var<T> x, int column, int width, int length, int[]? positions)
    {
        (_x, _col, _width, _length, _positions) = (x, column, width, length, positions);
        Tables(length);
        _y = graph.Alloc(x.Rows, x.Cols);
        x.Value.CopyTo(_y.Value);
        Rotate(x.Data, x.Offset, _y.Data, _y.Offset, x.Cols, x.Rows, sign: T.One, accumulate: false);
        graph.Record(this, _y);
        return _y;
    }

    public void Backward()
    {
        // Pass-through columns: dx += dy; rotated columns: dx += R(−tθ)·dy.
        var dy = _y.Gradient;
        var dx = _x.Gradient;
        var c = _x.Cols;
        for (var r = 0; r < _x.Rows; r++)
        for (var j = 0; j < c; j++)
            if (j < _col || j >= _col + _width) dx[r * c + j] += dy[r * c + j];
        Rotate(_y.Grad!, _y.Offset, _x.Grad!, _x.Offset, c, _x.Rows, sign: -T.One, accumulate: true);
    }

    private void Rotate(T[] src, int srcOffset, T[] dst, int dstOffset, int cols, int rows, T sign, bool accumulate)
    {
        var half = headSize / 2;
        for (var r = 0; r < rows; r++)
        {
            var t = _positions?[r] ?? r % _length;
            for (var h0 = _col; h0 < _col + _width; h0 += headSize)
            for (var i = 0; i < half; i++)
            {
                var cos = _cos[t * half + i];
                var sin = sign * _sin[t * half + i];
                var ia = r * cols + h0 + 2 * i;
                var a = src[srcOffset + ia];
                var b = src[srcOffset + ia + 1];
                var ya = a * cos - b * sin;
                var yb = a * sin + b * cos;
                if (accumulate)
                {
                    dst[dstOffset + ia] += ya;
                    dst[dstOffset + ia + 1] += yb;
                }
                else
                {
                    dst[dstOffset + ia] = ya;
                    dst[dstOffset + ia + 1] = yb;
                }
            }
        }
    }
}
