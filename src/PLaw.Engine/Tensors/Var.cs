using System.Numerics;

namespace PLaw.Engine.Tensors;

/// <summary>
/// A row-major [Rows, Cols] matrix that lives in a pooled buffer (an <see cref="Arena{T}"/> chunk or the parameter
/// store), with its gradient at the same offset of a parallel buffer. A value type: creating one never allocates.
/// Activations are laid out [batch·time, channel], so a whole batch is one GEMM operand.
/// </summary>
public readonly struct Var<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Var(T[] data, T[]? grad, int offset, int rows, int cols)
    {
        Data = data;
        Grad = grad;
        Offset = offset;
        Rows = rows;
        Cols = cols;
    }

    public T[] Data { get; }

    /// <summary>Null for constants and for activations of an inference-only forward pass.</summary>
    public T[]? Grad { get; }

    public int Offset { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int Length => Rows * Cols;
    public bool IsEmpty => Data is null;
    public bool HasGrad => Grad is not null;

    public Span<T> Value => Data.AsSpan(Offset, Length);
    public Span<T> Gradient => Grad is null ? Span<T>.Empty : Grad.AsSpan(Offset, Length);
    public Span<T> Row(int r) => Data.AsSpan(Offset + r * Cols, Cols);
    public Span<T> GradRow(int r) => Grad.AsSpan(Offset + r * Cols, Cols);

    public override string ToString() => $"Var[{Rows}, {Cols}] @ {Offset}";
}
