namespace PLaw.Engine.Kernels;

/// <summary>
/// Where each sequence's live rows sit in an activation matrix, and where they sat in the left-padded window of
/// <see cref="Window"/> slots: sequence b has <see cref="Size"/>[b] rows from matrix row <see cref="Start"/>[b], the
/// first of them at window slot <see cref="First"/>[b] (the number of pads before it). Attention kernels work per
/// sequence on that block. Two layouts share it:
///   padded: the matrix has B·L rows, Start[b] = b·L + First[b] (rows before it are pads);
///   packed: only live rows exist, Start[b] = Σ_{b' &lt; b} Size[b'] (jagged batches, as generative-recommenders does).
/// <see cref="PaddedRow"/> maps a matrix row to its row in the padded layout, so anything drawn per padded position
/// (dropout masks) is drawn identically in both layouts. Buffers grow once and are reused.
/// </summary>
public sealed class SequenceBlocks
{
    public int Count { get; private set; }
    public int Window { get; private set; }

    /// <summary>Rows of the matrix the blocks index (B·L padded, Σ Size packed).</summary>
    public int Rows { get; private set; }
    public bool Packed { get; private set; }
    public int[] Start { get; private set; } = [];
    public int[] Size { get; private set; } = [];
    public int[] First { get; private set; } = [];

    /// <summary>Matrix row → row of the padded [B·L] layout (b·L + slot); the identity when not packed.</summary>
    public int[] PaddedRow { get; private set; } = [];

    /// <summary>Σ Size², the cells of all live [n, n] attention blocks of one head.</summary>
    public int Cells { get; private set; }

    /// <summary>Padded blocks from item ids (0 = pad): with <paramref name="masked"/> each block starts at the first
    /// real slot (pads a left prefix), else every block is the whole window.</summary>
    public void SetPadded(ReadOnlySpan<int> ids, int count, int window, bool masked)
    {
        Grow(count, count * window);
        (Count, Window, Rows, Packed) = (count, window, count * window, false);
        for (var b = 0; b < count; b++)
        {
            var first = masked ? FirstReal(ids.Slice(b * window, window)) : 0;
            (Start[b], Size[b], First[b]) = (b * window + first, window - first, first);
        }
        for (var r = 0; r < Rows; r++) PaddedRow[r] = r;
        CountCells();
    }

    /// <summary>Padded blocks from each window's first live slot (null: every block is the whole window).</summary>
    public void SetPadded(int count, int window, int[]? firstSlot)
    {
        Grow(count, count * window);
        (Count, Window, Rows, Packed) = (count, window, count * window, false);
        for (var b = 0; b < count; b++)
        {
            var first = firstSlot?[b] ?? 0;
            (Start[b], Size[b], First[b]) = (b * window + first, window - first, first);
        }
        for (var r = 0; r < Rows; r++) PaddedRow[r] = r;
        CountCells();
    }

    /// <summary>Packed blocks: only the real slots of each window, which must follow its pads (left padding).</summary>
    /// <returns>False when some window has a pad after a real item (then it cannot be packed).</returns>
    public bool SetPacked(ReadOnlySpan<int> ids, int count, int window)
    {
        Grow(count, count * window);
        (Count, Window, Packed) = (count, window, true);
        var row = 0;
        for (var b = 0; b < count; b++)
        {
            var w = ids.Slice(b * window, window);
            var first = FirstReal(w);
            if (w[first..].Contains(0)) return false;
            (Start[b], Size[b], First[b]) = (row, window - first, first);
            for (var t = first; t < window; t++) PaddedRow[row++] = b * window + t;
        }
        Rows = row;
        CountCells();
        return true;
    }

    private void CountCells()
    {
        var cells = 0;
        for (var b = 0; b < Count; b++) cells += Size[b] * Size[b];
        Cells = cells;
    }

    private void Grow(int count, int rows)
    {
        if (Start.Length < count)
        {
            Start = new int[count];
            Size = new int[count];
            First = new int[count];
        }
        if (PaddedRow.Length < rows) PaddedRow = new int[rows];
    }

    private static int FirstReal(ReadOnlySpan<int> window)
    {
        var i = window.IndexOfAnyExcept(0);
        return i < 0 ? window.Length : i;
    }
}
