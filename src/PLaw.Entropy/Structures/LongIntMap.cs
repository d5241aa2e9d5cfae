using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace PLaw.Entropy.Structures;

/// <summary>
/// Open-addressing map from 64-bit keys to ints, reused across sequences: <see cref="Reset"/> is O(1) (a generation stamp
/// marks live slots), so per-user work allocates nothing once the table has grown to the largest user. A slot's key, value
/// and stamp share one 16-byte entry, so a probe touches one cache line (a chunk's suffix automaton outgrows L2).
/// </summary>
internal sealed class LongIntMap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public long Key;
        public int Value;
        public int Stamp;
    }

    private Entry[] entries = new Entry[64];
    private int generation = 1;
    private int mask = 63;
    private int shift = 58;

    public int Count { get; private set; }

    /// <summary>Empties the map and makes room for <paramref name="expected"/> keys at load factor ≤ 1/2.</summary>
    public void Reset(int expected)
    {
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, expected * 2));
        if (capacity > entries.Length)
        {
            entries = new Entry[capacity];
            generation = 0;
        }
        mask = entries.Length - 1;
        shift = 64 - BitOperations.Log2((uint)entries.Length);
        Count = 0;
        if (++generation == int.MaxValue)
        {
            Array.Clear(entries);
            generation = 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>Asks the processor to load the entry where <paramref name="key"/> would be looked up first: a lookup a few
    /// steps later then need not wait for memory (a table of many keys outgrows the caches).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(long key)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), Slot(key))));
    }

    public bool TryGetValue(long key, out int value)
    {
        ref var entry = ref Find(key, out var found);
        value = found ? entry.Value : 0;
        return found;
    }

    /// <summary>Sets key to value, adding it when absent. Callers keep Count ≤ capacity/2 by sizing <see cref="Reset"/>.</summary>
    public void Set(long key, int value)
    {
        ref var entry = ref Find(key, out var found);
        entry.Value = value;
        if (!found) Claim(ref entry, key);
    }

    /// <summary>The value for key, adding <paramref name="valueIfAbsent"/> when absent.</summary>
    public int GetOrAdd(long key, int valueIfAbsent, out bool added)
    {
        ref var entry = ref Find(key, out var found);
        added = !found;
        if (found) return entry.Value;
        entry.Value = valueIfAbsent;
        Claim(ref entry, key);
        return valueIfAbsent;
    }

    /// <summary>Adds key with value and returns true, or returns false with the value it already has.</summary>
    public bool TryAdd(long key, int value, out int existing)
    {
        ref var entry = ref Find(key, out var found);
        if (found)
        {
            existing = entry.Value;
            return false;
        }
        existing = 0;
        entry.Value = value;
        Claim(ref entry, key);
        return true;
    }

    /// <summary>The key's entry, or the free entry where it belongs (the map is never full: load ≤ 1/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Entry Find(long key, out bool found)
    {
        ref var table = ref MemoryMarshal.GetArrayDataReference(entries);
        for (var slot = Slot(key); ; slot = (slot + 1) & mask)
        {
            ref var entry = ref Unsafe.Add(ref table, slot);
            if (entry.Stamp != generation)
            {
                found = false;
                return ref entry;
            }
            if (entry.Key == key)
            {
                found = true;
                return ref entry;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Claim(ref Entry entry, long key)
    {
        entry.Key = key;
        entry.Stamp = generation;
        if (++Count * 2 > entries.Length) Grow();
    }

    private void Grow()
    {
        var (old, oldGeneration) = (entries, generation);
        entries = new Entry[old.Length * 2];
        generation = 1;
        mask = entries.Length - 1;
        shift = 64 - BitOperations.Log2((uint)entries.Length);
        Count = 0;
        foreach (var entry in old)
            if (entry.Stamp == oldGeneration)
                Set(entry.Key, entry.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Pair(int high, int low) => ((long)high << 32) | (uint)low;
}
