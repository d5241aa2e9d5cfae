namespace PLaw.Engine.Kernels;

/// <summary>
/// Where each sequence's live rows sit in an activation matrix, and where they sat in the left-padded window of
/// <see cref="Window"/> slots: sequence b has <see cref="Size"/>[b] rows from matrix row <see cref="Start"/>[b], the
/// first of them at window slot <see cref="First"/>[b] (the number of pads before it). Attention kernels work per
/// sequence on that block. Two layouts share it:
///   padded: the matrix has B·L rows, Start[b] = b·L + First[b] (rows before it are pads);
///   packed: only live rows exist, Start[b] = Σ_{b' &lt; b} Size[b'] (jagged batches, as generative-recommenders does).
///   packed with shared pads (layouts whose real rows attend to the left pads, P-Law's LLaMA and HSTU): the pads of
///   every window are the same rows (all read E[0] at slots 0, 1, …, and causality keeps them from seeing any real
///   item), so without dropout they are computed once, as block 0 of max_b First[b] rows at slots 0, 1, …, and the
///   block of sequence b also attends, before its own rows, to the first <see cref="Prefix"/>[b] = First[b] rows of it.
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

    /// <summary>Key rows each block attends to before its own: rows [0, Prefix[b]) of the shared pad block (0 otherwise).</summary>
    public int[] Prefix { get; private set; } = [];

    /// <summary>Block 0 holds the pad rows shared by all windows (see the class notes); the windows are blocks 1…B.</summary>
    public bool SharedPads { get; private set; }

    /// <summary>Matrix row → row of the padded [B·L] layout (b·L + slot); the identity when not packed.</summary>
    public int[] PaddedRow { get; private set; } = [];

    /// <summary>Σ Size·(Prefix + Size), the cells of all live [n, prefix + n] attention tiles of one head.</summary>
    public int Cells { get; private set; }

    /// <summary>Padded blocks from item ids (0 = pad): with <paramref name="masked"/> each block starts at the first
    /// real slot (pads a left prefix), else every block is the whole window.</summary>
    public void SetPadded(ReadOnlySpan<int> ids, int count, int window, bool masked)
    {
        Grow(count, count * window);
        (Count, Window, Rows, Packed, SharedPads) = (count, window, count * window, false, false);
        for (var b = 0; b < count; b++)
        {
            var first = masked ? FirstReal(ids.Slice(b * window, window)) : 0;
            (Start[b], Size[b], First[b], Prefix[b]) = (b * window + first, window - first, first, 0);
        }
        for (var r = 0; r < Rows; r++) PaddedRow[r] = r;
        CountCells();
    }

    /// <summary>Padded blocks from each window's first live slot (null: every block is the whole window).</summary>
    public void SetPadded(int count, int window, int[]? firstSlot)
    {
        Grow(count, count * window);
        (Count, Window, Rows, Packed, SharedPads) = (count, window, count * window, false, false);
        for (var b = 0; b < count; b++)
        {
            var first = firstSlot?[b] ?? 0;
            (Start[b], Size[b], First[b], Prefix[b]) = (b * window + first, window - first, first, 0);
        }
        for (var r = 0; r < Rows; r++) PaddedRow[r] = r;
        CountCells();
    }

    /// <summary>Packed blocks: only the real slots of each window, which must follow its pads (left padding); with
    /// <paramref name="sharedPads"/>, block 0 holds the pad rows all windows share and block b + 1 is window b.</summary>
    /// <returns>False when some window has a pad after a real item (then it cannot be packed).</returns>
    public bool SetPacked(ReadOnlySpan<int> ids, int count, int window, bool sharedPads = false)
    {
        var blocks = count + (sharedPads ? 1 : 0);
        Grow(blocks, count * window + window);
        (Count, Window, Packed, SharedPads) = (blocks, window, true, sharedPads);
        var pads = 0;
        for (var b = 0; b < count; b++)
        {
            var w = ids.Slice(b * window, window);
            var first = FirstReal(w);
            if (w[first..].Contains(0)) return false;
            First[b] = first;
            pads = Math.Max(pads, first);
        }
        var row = 0;
        if (sharedPads)
        {
            // Shift the windows' firsts up one block; block 0 is the shared pads at slots 0 … pads − 1.
            for (var b = count; b > 0; b--) First[b] = First[b - 1];
            (Start[0], Size[0], First[0], Prefix[0]) = (0, pads, 0, 0);
            for (; row < pads; row++) PaddedRow[row] = -1;
        }
        for (var k = sharedPads ? 1 : 0; k < blocks; k++)
        {
            var b = sharedPads ? k - 1 : k;
            var first = First[k];
            (Start[k], Size[k], Prefix[k]) = (row, window - first, sharedPads ? first : 0);
            for (var t = first; t < window; t++) PaddedRow[row++] = b * window + t;
        }
        Rows = row;
        CountCells();
        return true;
    }

    private void CountCells()
    {
        var cells = 0;
        for (var b = 0; b < Count; b++) cells += Size[b] * (Prefix[b] + Size[b]);
        Cells = cells;
    }

    private void Grow(int count, int rows)
    {
        if (Start.Length < count)
        {
            Start = new int[count];
            Size = new int[count];
            First = new int[count];
            Prefix = new int[count];
        }
        if (PaddedRow.Length < rows) PaddedRow = new int[rows];
    }

    private static int FirstReal(ReadOnlySpan<int> window)
    {
        var i = window.IndexOfAnyExcept(0);
        return i < 0 ? window.Length : i;
    }
}
