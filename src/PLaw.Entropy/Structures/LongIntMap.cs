using System.Numerics;
using System.Runtime.CompilerServices;

namespace PLaw.Entropy.Structures;

/// <summary>
/// Open-addressing map from 64-bit keys to ints, reused across sequences: <see cref="Reset"/> is O(1) (a generation stamp
/// marks live slots), so per-user work allocates nothing once the table has grown to the largest user.
/// </summary>
internal sealed class LongIntMap
{
    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int[] stamps = new int[64];
    private int generation = 1;
    private int mask = 63;
    private int shift = 58;

    public int Count { get; private set; }

    /// <summary>Empties the map and makes room for <paramref name="expected"/> keys at load factor ≤ 1/2.</summary>
    public void Reset(int expected)
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, expected * 2));
        if (capacity > keys.Length)
        {
            keys = new long[capacity];
            values = new int[capacity];
            stamps = new int[capacity];
            generation = 0;
        }
        mask = keys.Length - 1;
        shift = 64 - BitOperations.Log2((uint)keys.Length);
        Count = 0;
        if (++generation == int.MaxValue)
        {
            Array.Clear(stamps);
            generation = 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(long key, out int value)
    {
        for (var slot = Slot(key); stamps[slot] == generation; slot = (slot + 1) & mask)
            if (keys[slot] == key)
            {
                value = values[slot];
                return true;
            }
        value = 0;
        return false;
    }

    /// <summary>Sets key to value, adding it when absent. Callers keep Count ≤ capacity/2 by sizing <see cref="Reset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(long key, int value)
    {
        var slot = Slot(key);
        for (; stamps[slot] == generation; slot = (slot + 1) & mask)
            if (keys[slot] == key)
            {
                values[slot] = value;
                return;
            }
        stamps[slot] = generation;
        keys[slot] = key;
        values[slot] = value;
        if (++Count * 2 > keys.Length) Grow();
    }

    /// <summary>The value for key, adding <paramref name="valueIfAbsent"/> when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetOrAdd(long key, int valueIfAbsent, out bool added)
    {
        var slot = Slot(key);
        for (; stamps[slot] == generation; slot = (slot + 1) & mask)
            if (keys[slot] == key)
            {
                added = false;
                return values[slot];
            }
        stamps[slot] = generation;
        keys[slot] = key;
        values[slot] = valueIfAbsent;
        added = true;
        if (++Count * 2 > keys.Length) Grow();
        return valueIfAbsent;
    }

    private void Grow()
    {
        var (oldKeys, oldValues, oldStamps, oldGeneration) = (keys, values, stamps, generation);
        keys = new long[oldKeys.Length * 2];
        values = new int[keys.Length];
        stamps = new int[keys.Length];
        generation = 1;
        mask = keys.Length - 1;
        shift = 64 - BitOperations.Log2((uint)keys.Length);
        Count = 0;
        for (var i = 0; i < oldKeys.Length; i++)
            if (oldStamps[i] == oldGeneration)
                Set(oldKeys[i], oldValues[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Pair(int high, int low) => ((long)high << 32) | (uint)low;
}
