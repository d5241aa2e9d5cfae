using System.Numerics;

namespace PLaw.Engine.Tensors;

/// <summary>A named slice [Rows, Cols] of the flat parameter array. <see cref="IsEmbedding"/> marks item and position tables;
/// <see cref="Decay"/> whether weight decay applies (matrices, as P-Law's AdamW: every ≥2-D tensor).</summary>
public sealed record ParameterSlot(string Name, int Offset, int Rows, int Cols, bool IsEmbedding, bool Decay)
{
    public int Length => Rows * Cols;
}

/// <summary>
/// The order and shapes of a model's parameters; models register their tensors here while they are built.
/// Every worker builds its own model over the same layout (a layout is deterministic), and all share one
/// <see cref="ParameterStore{T}"/>.
/// </summary>
public sealed class ParameterLayout
{
    private readonly List<ParameterSlot> _slots = [];
    public IReadOnlyList<ParameterSlot> Slots => _slots;
    public int Length { get; private set; }

    public ParameterSlot Add(string name, int rows, int cols, bool isEmbedding = false, bool? decay = null)
    {
        var slot = new ParameterSlot(name, Length, rows, cols, isEmbedding, decay ?? rows > 1);
        _slots.Add(slot);
        Length += slot.Length;
        return slot;
    }

    public long EmbeddingCount => _slots.Where(s => s.IsEmbedding).Sum(s => (long)s.Length);
    public long NonEmbeddingCount => _slots.Where(s => !s.IsEmbedding).Sum(s => (long)s.Length);

    public bool SameAs(ParameterLayout other) => _slots.SequenceEqual(other._slots);
}

/// <summary>Parameters as named slices of one array (llm.c): zeroing, optimiser steps and checkpoints are whole-array work.</summary>
public sealed class ParameterStore<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ParameterStore(ParameterLayout layout)
    {
        Layout = layout;
        Values = new T[layout.Length];
    }

    public ParameterLayout Layout { get; }
    public T[] Values { get; }

    public Span<T> Of(ParameterSlot slot) => Values.AsSpan(slot.Offset, slot.Length);
}
