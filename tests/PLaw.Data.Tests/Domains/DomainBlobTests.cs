using System.Buffers.Binary;
using PLaw.Data.Sequences;
using PLaw.Data.Storage;

namespace PLaw.Data.Tests.Domains;

/// <summary>Item domains stored with the sequences: version 2 with flag 2; a set without domains is written exactly as before.</summary>
public sealed class DomainBlobTests
{
    private static SequenceSet Plain() => new([0, 3, 5], [1, 2, 3, 2, 4], 4, [10, 20, 30, 5, 6]);

    private static SequenceSet WithDomains() => Plain().WithDomains(new ItemDomains(["books", "müsic"], [0, 0, 1, 1, 0]));

    [Fact]
    public void DomainsRoundTrip()
    {
        var set = WithDomains();
        var bytes = SequenceSetFormat.ToBytes(set);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8))); // timestamps | domains
        var back = SequenceSetFormat.FromBytes(bytes);
        Assert.Equal(["books", "müsic"], back.Domains!.Names);
        Assert.Equal([0, 0, 1, 1, 0], back.Domains.DomainOf.ToArray());
        Assert.Equal(set.Items, back.Items);
        Assert.Equal(set.Timestamps, back.Timestamps);
    }

    [Fact]
    public void WithoutDomainsTheBlobIsVersionOneAndTheChecksumUnchanged()
    {
        var bytes = SequenceSetFormat.ToBytes(Plain());
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Null(SequenceSetFormat.FromBytes(bytes).Domains);
        // Pinned from the format before item domains existed.
        Assert.Equal("841164d5da0a661789f05bd440da7b8b5ceafe2ee31c489de57965697f0bff08", SequenceSetFormat.Checksum(Plain()));
        Assert.NotEqual(SequenceSetFormat.Checksum(Plain()), SequenceSetFormat.Checksum(WithDomains()));
    }

    [Fact]
    public void DomainsAreInTheChecksum()
    {
        var other = Plain().WithDomains(new ItemDomains(["books", "müsic"], [0, 0, 1, 0, 0]));
        Assert.NotEqual(SequenceSetFormat.Checksum(WithDomains()), SequenceSetFormat.Checksum(other));
    }

    [Fact]
    public void ADomainsFlagOnVersionOneIsCorrupt()
    {
        var bytes = SequenceSetFormat.ToBytes(WithDomains());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        var e = Assert.Throws<InvalidDataException>(() => SequenceSetFormat.FromBytes(bytes));
        Assert.Contains("impossible header (flags 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ItemDomainsRejectAnIndexOutOfRangeAndDuplicateNames()
    {
        Assert.Contains("Item 2 has domain index 2", Assert.Throws<ArgumentException>(() => new ItemDomains(["a", "b"], [0, 0, 2])).Message,
            StringComparison.Ordinal);
        Assert.Contains("'a' appears twice", Assert.Throws<ArgumentException>(() => new ItemDomains(["a", "a"], [0, 0])).Message,
            StringComparison.Ordinal);
        Assert.Contains("cover 1 items; the sequences have 4", Assert.Throws<ArgumentException>(() =>
            Plain().WithDomains(new ItemDomains(["a"], [0, 0]))).Message, StringComparison.Ordinal);
    }
}
