namespace PLaw.Entropy.Structures.Zlib;

/// <summary>The <see cref="Deflater"/> backed by <see cref="DeflateSize"/>: zlib's lengths without zlib.</summary>
internal sealed class ZlibPortDeflater : Deflater
{
    private readonly DeflateSize size = new();

    public override string Name => "managed zlib 1.2.13 deflate, level 6";

    public override int CompressedSize(ReadOnlySpan<byte> data) => size.CompressedLength(data);
}
