using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PLaw.Data.Storage;

/// <summary>Writes and reads int/long arrays as little-endian bytes: a straight memory copy on little-endian hosts.</summary>
internal static class LittleEndian
{
    private const int Chunk = 1 << 13;

    public static void Write(Stream stream, ReadOnlySpan<int> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<int> swapped = new int[Math.Min(Chunk, values.Length)];
        for (var i = 0; i < values.Length; i += Chunk)
        {
            var part = values.Slice(i, Math.Min(Chunk, values.Length - i));
            BinaryPrimitives.ReverseEndianness(part, swapped);
            stream.Write(MemoryMarshal.AsBytes(swapped[..part.Length]));
        }
    }

    public static void Write(Stream stream, ReadOnlySpan<long> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<long> swapped = new long[Math.Min(Chunk, values.Length)];
        for (var i = 0; i < values.Length; i += Chunk)
        {
            var part = values.Slice(i, Math.Min(Chunk, values.Length - i));
            BinaryPrimitives.ReverseEndianness(part, swapped);
            stream.Write(MemoryMarshal.AsBytes(swapped[..part.Length]));
        }
    }

    public static void ReadExactly(Stream stream, Span<int> destination)
    {
        stream.ReadExactly(MemoryMarshal.AsBytes(destination));
        if (!BitConverter.IsLittleEndian)
            BinaryPrimitives.ReverseEndianness(destination, destination);
    }

    public static void ReadExactly(Stream stream, Span<long> destination)
    {
        stream.ReadExactly(MemoryMarshal.AsBytes(destination));
        if (!BitConverter.IsLittleEndian)
            BinaryPrimitives.ReverseEndianness(destination, destination);
    }

    /// <summary>
    /// Reads <paramref name="count"/> ints, growing the array as data arrives (from 1M elements, doubling), so a
    /// corrupt count fails with <see cref="EndOfStreamException"/> instead of allocating what it announces.
    /// </summary>
    public static int[] ReadInts(Stream stream, int count)
    {
        var values = new int[Math.Min(count, GrowFrom)];
        for (var filled = 0; filled < count; filled = values.Length)
        {
            if (filled == values.Length)
                Array.Resize(ref values, (int)Math.Min(count, 2L * values.Length));
            ReadExactly(stream, values.AsSpan(filled));
        }
        return values;
    }

    /// <inheritdoc cref="ReadInts"/>
    public static long[] ReadLongs(Stream stream, int count)
    {
        var values = new long[Math.Min(count, GrowFrom)];
        for (var filled = 0; filled < count; filled = values.Length)
        {
            if (filled == values.Length)
                Array.Resize(ref values, (int)Math.Min(count, 2L * values.Length));
            ReadExactly(stream, values.AsSpan(filled));
        }
        return values;
    }

    private const int GrowFrom = 1 << 20;
}
