using PLaw.Entropy.Structures;
using PLaw.Entropy.Structures.Zlib;

namespace PLaw.Entropy.Tests.Zlib;

/// <summary>
/// The system libz (the project's former compressor) and the managed port side by side, fed the same inputs in the same
/// order: both keep their window between calls, so the order matters (see <see cref="DeflateSize"/>).
/// </summary>
internal sealed class ZlibOracle : IDisposable
{
    private readonly Deflater libz = Deflater.CreateSystemZlib()
        ?? throw new InvalidOperationException("The oracle needs the system zlib (libz.so.1, Debian's zlib1g).");

    private readonly DeflateSize port = new();

    public int Checked { get; private set; }

    public void AssertSameLength(ReadOnlySpan<byte> data, string what)
    {
        var expected = libz.CompressedSize(data);
        var actual = port.CompressedLength(data);
        if (expected != actual)
            Assert.Fail($"{what}, {data.Length} bytes: libz {expected} bytes, port {actual} bytes");
        Checked++;
    }

    public void Dispose() => libz.Dispose();
}
