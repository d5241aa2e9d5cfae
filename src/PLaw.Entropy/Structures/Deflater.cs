using System.Runtime.InteropServices;

namespace PLaw.Entropy.Structures;

/// <summary>
/// Compressed size of small buffers, many times over, exactly as zlib 1.2.13 (Debian's zlib1g, what Python links) gives it
/// at level 6. <see cref="Create"/> returns the managed port (<see cref="Zlib.DeflateSize"/>), so the values do not depend
/// on the machine's libz; the system libz, driven directly with one reset state, stays as the tests' oracle.
/// </summary>
internal abstract partial class Deflater : IDisposable
{
    public const int Level = 6;

    public abstract string Name { get; }

    public abstract int CompressedSize(ReadOnlySpan<byte> data);

    public virtual void Dispose()
    {
    }

    public static Deflater Create() => new Zlib.ZlibPortDeflater();

    /// <summary>The system libz, driven as above; null where it cannot be loaded. The tests' oracle.</summary>
    internal static Deflater? CreateSystemZlib() => SystemZlib.TryCreate();

    private sealed unsafe partial class SystemZlib : Deflater
    {
        // z_stream on LP64: next_in, avail_in, total_in, next_out, avail_out, total_out, msg, state, zalloc, zfree, opaque,
        // data_type, adler, reserved — 112 bytes. zlib keeps a pointer back to it, so it lives in native memory.
        private const int StreamSize = 112;
        private const int NextIn = 0, AvailIn = 8, NextOut = 24, AvailOut = 32, TotalOut = 40;
        private const int ZFinish = 4, ZStreamEnd = 1;

        private static readonly bool Available = Probe();
        private readonly byte* stream;
        private byte[] output = new byte[4096];

        private SystemZlib()
        {
            stream = (byte*)NativeMemory.AllocZeroed(StreamSize);
            if (deflateInit_(stream, Level, "1.2.11", StreamSize) != 0)
                throw new InvalidOperationException("zlib deflateInit failed.");
        }

        public override string Name => "system zlib (libz.so.1, level 6)";

        public static SystemZlib? TryCreate() => Available ? new SystemZlib() : null;

        private static bool Probe()
        {
            try
            {
                return NativeLibrary.TryLoad("libz.so.1", out _) && zlibVersion() != null;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

        public override int CompressedSize(ReadOnlySpan<byte> data)
        {
            var bound = (int)deflateBound(stream, (nuint)data.Length);
            if (output.Length < bound) output = new byte[Math.Max(bound, output.Length * 2)];
            deflateReset(stream);
            fixed (byte* input = data)
            fixed (byte* target = output)
            {
                *(byte**)(stream + NextIn) = input;
                *(uint*)(stream + AvailIn) = (uint)data.Length;
                *(byte**)(stream + NextOut) = target;
                *(uint*)(stream + AvailOut) = (uint)output.Length;
                if (deflate(stream, ZFinish) != ZStreamEnd)
                    throw new InvalidOperationException("zlib deflate did not finish in one call.");
                return (int)*(nuint*)(stream + TotalOut);
            }
        }

        public override void Dispose()
        {
            deflateEnd(stream);
            NativeMemory.Free(stream);
        }

        [LibraryImport("libz.so.1", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int deflateInit_(byte* stream, int level, string version, int streamSize);

        [LibraryImport("libz.so.1")]
        private static partial int deflate(byte* stream, int flush);

        [LibraryImport("libz.so.1")]
        private static partial int deflateReset(byte* stream);

        [LibraryImport("libz.so.1")]
        private static partial int deflateEnd(byte* stream);

        [LibraryImport("libz.so.1")]
        private static partial nuint deflateBound(byte* stream, nuint sourceLength);

        [LibraryImport("libz.so.1")]
        private static partial byte* zlibVersion();
    }
}
