using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// Compression ratio as P-Law's scripts compute it: zlib (level 6, Python's <c>zlib.compress</c> default) of the ids as
/// 4-byte big-endian integers; compressed size / raw size. The size is zlib 1.2.13's to the byte (Python's), computed by a
/// managed port of its deflate (see <see cref="Deflater"/>).
/// </summary>
public static class CompressionRatio
{
    public static double Compute(ReadOnlySpan<int> sequence) => Compute(sequence, EntropyWorkspace.Current);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Compute(ReadOnlySpan<int> u, EntropyWorkspace w)
    {
        if (u.Length == 0) return 0;
        var raw = EntropyWorkspace.Ensure(ref w.Bytes, 4 * u.Length).AsSpan(0, 4 * u.Length);
        for (var i = 0; i < u.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(raw.Slice(4 * i, 4), u[i]);
        return w.Deflater.CompressedSize(raw) / (double)raw.Length;
    }

    /// <summary>Which zlib computes the ratios on this machine.</summary>
    public static string Implementation => EntropyWorkspace.Current.Deflater.Name;
}
