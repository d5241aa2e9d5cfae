using PLaw.Engine.Kernels;

namespace PLaw.Engine.Models;

/// <summary>
/// One worker's share of a batch: <see cref="Count"/> left-padded windows of <see cref="Length"/> items (newest at
/// L − 1, 0 = pad), the next item at each position (0 = no target), the sampled negatives per position, and, when
/// the data has them, unix-second timestamps of each input and of each target (HSTU's time bias).
/// Buffers grow to the largest batch once and are then reused.
/// </summary>
public sealed class SequenceBatch(int length)
{
    public int Length { get; } = length;
    public int Count { get; private set; }
    public int NegativesPerPosition { get; private set; }
    public int Rows => Count * Length;

    public int[] Inputs { get; private set; } = [];
    public int[] Targets { get; private set; } = [];
    public int[] Negatives { get; private set; } = [];
    public long[] InputTimes { get; private set; } = [];
    public long[] TargetTimes { get; private set; } = [];
    public bool HasTimes { get; set; }

    /// <summary>Resizes for <paramref name="count"/> sequences and clears every buffer to padding.</summary>
    public void Reset(int count, int negativesPerPosition)
    {
        Count = count;
        NegativesPerPosition = negativesPerPosition;
        var rows = count * Length;
        if (Inputs.Length < rows)
        {
            Inputs = new int[rows];
            Targets = new int[rows];
            InputTimes = new long[rows];
            TargetTimes = new long[rows];
        }
        if (Negatives.Length < rows * negativesPerPosition) Negatives = new int[rows * negativesPerPosition];
        Inputs.AsSpan(0, rows).Clear();
        Targets.AsSpan(0, rows).Clear();
        InputTimes.AsSpan(0, rows).Clear();
        TargetTimes.AsSpan(0, rows).Clear();
        Negatives.AsSpan(0, rows * negativesPerPosition).Clear();
        HasTimes = false;
        Packed = null;
    }

    /// <summary>The rows of the last <see cref="Pack"/> (null before it, after <see cref="Reset"/> or
    /// <see cref="ForgetPacking"/>, or when the windows could not be packed): the rows a packed model's hidden states
    /// have, in batch order. Models set or clear it on every forward pass; the loss head reads it.</summary>
    public SequenceBlocks? Packed { get; private set; }

    /// <summary>Inputs, targets, negatives ([rows·K]) and window slots of the packed rows.</summary>
    public int[] PackedInputs { get; private set; } = [];
    public int[] PackedTargets { get; private set; } = [];
    public int[] PackedNegatives { get; private set; } = [];
    public int[] PackedSlots { get; private set; } = [];

    private readonly SequenceBlocks _blocks = new();

    /// <summary>
    /// Packs the windows as filled now: only real positions keep a row (jagged batches; pads are each window's left
    /// prefix), and with <paramref name="sharedPads"/> one block of pad rows shared by all windows comes first
    /// (<see cref="SequenceBlocks"/>; its rows have input 0, no target and their slot). Returns the blocks, or null
    /// when some window has a pad after a real item (then use the padded rows).
    /// </summary>
    public SequenceBlocks? Pack(bool sharedPads = false)
    {
        Packed = null;
        if (!_blocks.SetPacked(Inputs.AsSpan(0, Rows), Count, Length, sharedPads)) return null;
        int rows = _blocks.Rows, k = NegativesPerPosition;
        if (PackedInputs.Length < rows)
        {
            var capacity = Math.Max(rows, Rows + Length);
            PackedInputs = new int[capacity];
            PackedTargets = new int[capacity];
            PackedSlots = new int[capacity];
        }
        if (PackedNegatives.Length < rows * k) PackedNegatives = new int[Math.Max(rows, Rows + Length) * k];
        for (var r = 0; r < rows; r++)
        {
            var from = _blocks.PaddedRow[r];
            if (from < 0)
            {
                (PackedInputs[r], PackedTargets[r], PackedSlots[r]) = (0, 0, r);
                PackedNegatives.AsSpan(r * k, k).Clear();
                continue;
            }
            PackedInputs[r] = Inputs[from];
            PackedTargets[r] = Targets[from];
            PackedSlots[r] = from % Length;
            if (k > 0) Negatives.AsSpan(from * k, k).CopyTo(PackedNegatives.AsSpan(r * k, k));
        }
        return Packed = _blocks;
    }

    /// <summary>The hidden-state row of window <paramref name="b"/>'s last slot (the one a scorer reads): b·L + L − 1, or
    /// the end of its block when the model returned packed rows.</summary>
    public int LastRow(int b)
    {
        if (Packed is not { } p) return b * Length + Length - 1;
        var k = p.SharedPads ? b + 1 : b;
        if (p.Size[k] == 0) throw new InvalidOperationException($"Window {b} has no item to score from.");
        return p.Start[k] + p.Size[k] - 1;
    }

    /// <summary>Marks the hidden states of this fill as all [B·L] rows (a model that ran the padded path).</summary>
    public void ForgetPacking() => Packed = null;

    /// <summary>Number of positions with a target.</summary>
    public int TargetCount()
    {
        var n = 0;
        foreach (var t in Targets.AsSpan(0, Rows))
            if (t != 0) n++;
        return n;
    }
}
