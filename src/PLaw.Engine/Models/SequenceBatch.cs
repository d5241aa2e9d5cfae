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
    }

    /// <summary>Number of positions with a target.</summary>
    public int TargetCount()
    {
        var n = 0;
        foreach (var t in Targets.AsSpan(0, Rows))
            if (t != 0) n++;
        return n;
    }
}
