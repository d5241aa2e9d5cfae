using System.Runtime.CompilerServices;

namespace PLaw.Data.Preprocessing;

/// <summary>
/// Raw interactions in file order as columns (user index, item index, optional timestamp, optional label) stored in fixed
/// 64K-element blocks: appending never copies, and memory is 8 or 16 bytes per interaction.
/// User and item indices are dense, 0-based (the importer numbers ids by first appearance), not yet filtered.
/// </summary>
public sealed class InteractionTable
{
    private const int BlockShift = 16;
    private const int BlockSize = 1 << BlockShift;
    private const int BlockMask = BlockSize - 1;

    private readonly List<int[]> userBlocks = [];
    private readonly List<int[]> itemBlocks = [];
    private readonly List<long[]>? timestampBlocks;
    private readonly List<bool[]>? labelBlocks;
    private int[] users = [];
    private int[] items = [];
    private long[] timestamps = [];
    private bool[] labels = [];

    /// <param name="hasLabels">Keep a label per interaction (a labelled impression: rating at or above the import's threshold).</param>
    public InteractionTable(bool hasTimestamps, bool hasLabels = false)
    {
        timestampBlocks = hasTimestamps ? [] : null;
        labelBlocks = hasLabels ? [] : null;
    }

    public bool HasTimestamps => timestampBlocks is not null;
    public bool HasLabels => labelBlocks is not null;

    public int Count { get; private set; }

    /// <summary>One more than the largest user index added.</summary>
    public int UserCount { get; private set; }

    /// <summary>One more than the largest item index added.</summary>
    public int ItemCount { get; private set; }

    public int BlockCount => userBlocks.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(int user, int item, long timestamp = 0, bool label = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(user);
        ArgumentOutOfRangeException.ThrowIfNegative(item);
        if (Count == int.MaxValue)
            throw new InvalidOperationException($"More than {int.MaxValue} interactions: sequences index items with int.");
        var offset = Count & BlockMask;
        if (offset == 0)
        {
            userBlocks.Add(users = new int[BlockSize]);
            itemBlocks.Add(items = new int[BlockSize]);
            timestampBlocks?.Add(timestamps = new long[BlockSize]);
            labelBlocks?.Add(labels = new bool[BlockSize]);
        }
        users[offset] = user;
        items[offset] = item;
        if (timestampBlocks is not null)
            timestamps[offset] = timestamp;
        if (labelBlocks is not null)
            labels[offset] = label;
        if (user >= UserCount) UserCount = user + 1;
        if (item >= ItemCount) ItemCount = item + 1;
        Count++;
    }

    public ReadOnlySpan<int> Users(int block) => userBlocks[block].AsSpan(0, BlockLength(block));

    public ReadOnlySpan<int> Items(int block) => itemBlocks[block].AsSpan(0, BlockLength(block));

    /// <summary>Empty when the table has no timestamps.</summary>
    public ReadOnlySpan<long> Timestamps(int block) =>
        timestampBlocks is null ? [] : timestampBlocks[block].AsSpan(0, BlockLength(block));

    /// <summary>Empty when the table has no labels.</summary>
    public ReadOnlySpan<bool> Labels(int block) =>
        labelBlocks is null ? [] : labelBlocks[block].AsSpan(0, BlockLength(block));

    private int BlockLength(int block) => Math.Min(BlockSize, Count - (block << BlockShift));
}
