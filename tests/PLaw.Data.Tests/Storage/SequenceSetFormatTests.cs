using System.Buffers.Binary;
using PLaw.Data.Sequences;
using PLaw.Data.Storage;

namespace PLaw.Data.Tests.Storage;

public class SequenceSetFormatTests
{
    private static SequenceSet Sample(bool timestamps, int changeItem = 0)
    {
        int[] items = [1, 2, 3, 2, 4, 1, 1, 5];
        if (changeItem > 0) items[3] = changeItem;
        return new SequenceSet([0, 3, 3 + 2, 8], items, 5,
            timestamps ? [100, 200, 200, 50, 60, 978300760, 978300761, 978300900] : null);
    }

    private static void AssertSame(SequenceSet expected, SequenceSet actual)
    {
        Assert.Equal(expected.Offsets, actual.Offsets);
        Assert.Equal(expected.Items, actual.Items);
        Assert.Equal(expected.ItemCount, actual.ItemCount);
        Assert.Equal(expected.Timestamps, actual.Timestamps);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BlobRoundTrips(bool timestamps)
    {
        var set = Sample(timestamps);
        var bytes = SequenceSetFormat.ToBytes(set);
        Assert.Equal("PLSQ"u8.ToArray(), bytes[..4]);
        AssertSame(set, SequenceSetFormat.FromBytes(bytes));

        using var stream = new MemoryStream();
        SequenceSetFormat.Write(stream, set);
        SequenceSetFormat.Write(stream, set);
        stream.Position = 0;
        AssertSame(set, SequenceSetFormat.Read(stream));
        AssertSame(set, SequenceSetFormat.Read(stream));
    }

    [Fact]
    public void EmptySetRoundTrips()
    {
        var empty = new SequenceSet([0], [], 0);
        AssertSame(empty, SequenceSetFormat.FromBytes(SequenceSetFormat.ToBytes(empty)));
    }

    [Fact]
    public void LargeSetRoundTripsAndCompresses()
    {
        var random = new Random(7);
        var lengths = Enumerable.Range(0, 2000).Select(_ => random.Next(1, 200)).ToArray();
        var offsets = new int[lengths.Length + 1];
        for (var u = 0; u < lengths.Length; u++) offsets[u + 1] = offsets[u] + lengths[u];
        var items = Enumerable.Range(0, offsets[^1]).Select(_ => random.Next(1, 3001)).ToArray();
        var times = new long[items.Length];
        for (var i = 0; i < times.Length; i++) times[i] = 1_600_000_000 + i * 37L;
        var set = new SequenceSet(offsets, items, 3000, times);

        var bytes = SequenceSetFormat.ToBytes(set);
        AssertSame(set, SequenceSetFormat.FromBytes(bytes));
        Assert.True(bytes.Length < items.Length * 12 / 2, $"{bytes.Length} bytes for {items.Length} interactions");
    }

    [Fact]
    public void ChecksumIsStableAndIgnoresCompression()
    {
        var checksum = SequenceSetFormat.Checksum(Sample(true));
        Assert.Equal(checksum, SequenceSetFormat.Checksum(Sample(true)));
        Assert.Equal(checksum, SequenceSetFormat.Checksum(SequenceSetFormat.FromBytes(SequenceSetFormat.ToBytes(Sample(true)))));
        Assert.Matches("^[0-9a-f]{64}$", checksum);
        // Golden value computed independently (Python struct + hashlib over the documented layout).
        Assert.Equal("def94f5f9acb65318d2bf38db798e646e8302b2e2924caa8a9b2afdd3fc6d86b", checksum);
    }

    [Fact]
    public void ChecksumChangesWhenOneItemChanges()
    {
        Assert.NotEqual(SequenceSetFormat.Checksum(Sample(true)), SequenceSetFormat.Checksum(Sample(true, changeItem: 5)));
        Assert.NotEqual(SequenceSetFormat.Checksum(Sample(false)), SequenceSetFormat.Checksum(Sample(false, changeItem: 3)));
        Assert.NotEqual(SequenceSetFormat.Checksum(Sample(true)), SequenceSetFormat.Checksum(Sample(false)));
    }

    private static string Corrupt(byte[] bytes)
    {
        var e = Assert.Throws<InvalidDataException>(() => SequenceSetFormat.FromBytes(bytes));
        Assert.StartsWith("Corrupt sequence blob (PLSQ): ", e.Message);
        return e.Message;
    }

    [Fact]
    public void WrongMagicIsNotABlob() =>
        Assert.Contains("not a sequence blob", Corrupt("{\"json\": true}"u8.ToArray()));

    [Fact]
    public void TruncatedBlobSaysHowMuchIsMissing()
    {
        var bytes = SequenceSetFormat.ToBytes(Sample(true));
        Assert.Contains("truncated header", Corrupt(bytes[..20]));
        Assert.Contains("truncated payload", Corrupt(bytes[..^3]));
    }

    [Fact]
    public void FlippedPayloadBitNeverYieldsDifferentContent()
    {
        // Brotli ignores some bits (final padding); any flip it does not ignore must be caught.
        var set = Sample(true);
        var bytes = SequenceSetFormat.ToBytes(set);
        var detected = 0;
        for (var at = 68; at < bytes.Length; at++)
            for (var bit = 0; bit < 8; bit++)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[at] ^= (byte)(1 << bit);
                try
                {
                    AssertSame(set, SequenceSetFormat.FromBytes(damaged));
                }
                catch (InvalidDataException e)
                {
                    Assert.StartsWith("Corrupt sequence blob (PLSQ): ", e.Message);
                    detected++;
                }
            }
        Assert.True(detected > (bytes.Length - 68) * 8 * 9 / 10, $"only {detected} flips detected");
    }

    [Fact]
    public void FlippedChecksumByteIsAMismatch()
    {
        var bytes = SequenceSetFormat.ToBytes(Sample(false));
        bytes[30] ^= 1;
        Assert.Contains("checksum mismatch", Corrupt(bytes));
    }

    [Fact]
    public void UnknownVersionIsRejected()
    {
        var bytes = SequenceSetFormat.ToBytes(Sample(false));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 99);
        Assert.Contains("version 99", Corrupt(bytes));
    }

    [Fact]
    public void WrongCountsInTheHeaderAreDetected()
    {
        var bytes = SequenceSetFormat.ToBytes(Sample(false));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(20), 7);
        Corrupt(bytes);
        bytes = SequenceSetFormat.ToBytes(Sample(false));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 4);
        Assert.Contains("outside 1..4", Corrupt(bytes));
    }

    [Fact]
    public void HugeAnnouncedCountsFailWithoutAllocatingThem()
    {
        var bytes = SequenceSetFormat.ToBytes(Sample(true));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 1 << 30);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(20), int.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("does not decode to the announced counts", Corrupt(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20);
    }

    [Fact]
    public void SetLargerThanTheReadChunkRoundTrips()
    {
        // 2.5M interactions: the reader grows its arrays past 1M and 2M elements.
        var items = new int[2_500_000];
        for (var i = 0; i < items.Length; i++) items[i] = 1 + (int)((i * 2654435761L) % 50_000);
        var offsets = Enumerable.Range(0, 2501).Select(u => u * 1000).ToArray();
        var set = new SequenceSet(offsets, items, 50_000, items.Select(i => (long)i).ToArray());
        AssertSame(set, SequenceSetFormat.FromBytes(SequenceSetFormat.ToBytes(set)));
    }

    [Fact]
    public void TrailingBytesAreRejected() =>
        Assert.Contains("unexpected bytes", Corrupt([.. SequenceSetFormat.ToBytes(Sample(true)), 0]));
}
