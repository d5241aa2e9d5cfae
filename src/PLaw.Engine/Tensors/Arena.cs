using System.Numerics;

namespace PLaw.Engine.Tensors;

/// <summary>
/// Per-step activation memory: chunks with a bump pointer, rewound by <see cref="Reset"/> at the start of every step.
/// Chunks are allocated only while the arena grows (the first step at the largest batch); afterwards a step allocates
/// nothing. Every value allocation has a gradient twin at the same offset of a parallel chunk, cleared on allocation,
/// because backward passes accumulate into gradients.
/// </summary>
public sealed class Arena<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int ChunkSize = 1 << 22;
    private readonly List<T[]> _data = [];
    private readonly List<T[]> _grad = [];
    private int _chunk;
    private int _used;

    /// <summary>Total elements held (values only), for reports.</summary>
    public long Capacity => _data.Sum(c => (long)c.Length);

    public void Reset()
    {
        _chunk = 0;
        _used = 0;
    }

    /// <summary>A [rows, cols] matrix with uninitialised values and a zeroed gradient (when <paramref name="withGrad"/>).</summary>
    public Var<T> Alloc(int rows, int cols, bool withGrad)
    {
        var length = rows * cols;
        // Align to 16 elements (64 bytes for float) so vector loads start on cache lines.
        var need = (length + 15) & ~15;
        while (true)
        {
            if (_chunk == _data.Count)
            {
                _data.Add(new T[Math.Max(ChunkSize, need)]);
                _grad.Add(new T[Math.Max(ChunkSize, need)]);
            }
            if (_used + need <= _data[_chunk].Length) break;
            _chunk++;
            _used = 0;
        }
        var data = _data[_chunk];
        var grad = withGrad ? _grad[_chunk] : null;
        var offset = _used;
        _used += need;
        if (grad is not null) grad.AsSpan(offset, length).Clear();
        return new Var<T>(data, grad, offset, rows, cols);
    }

    /// <summary>A zero-filled [rows, cols] matrix.</summary>
    public Var<T> Zeros(int rows, int cols, bool withGrad)
    {
        var v = Alloc(rows, cols, withGrad);
        v.Value.Clear();
        return v;
    }
}
