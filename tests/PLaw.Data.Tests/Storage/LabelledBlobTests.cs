using System.Buffers.Binary;
using PLaw.Data.Sequences;
using PLaw.Data.Storage;

namespace PLaw.Data.Tests.Storage;

/// <summary>Labels live in the dataset's sequence blob (version 3, flag 4); a set without them is stored as before.</summary>
public sealed class LabelledBlobTests
{
    private static SequenceSet Plain() => new([0, 3, 5], [1, 2, 3, 2, 1], 3, [10, 20, 30, 5, 6]);

    [Fact]
    public void LabelsSurviveTheRoundTripAndEnterTheChecksum()
    {
        var labelled = Plain().WithLabels([true, false, true, false, false]);
        var bytes = SequenceSetFormat.ToBytes(labelled);
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        var back = SequenceSetFormat.FromBytes(bytes);
        Assert.Equal(labelled.Labels, back.Labels);
        Assert.Equal(labelled.Items, back.Items);
        Assert.Equal(labelled.Timestamps, back.Timestamps);
        Assert.NotEqual(SequenceSetFormat.Checksum(Plain()), SequenceSetFormat.Checksum(labelled));
        Assert.NotEqual(SequenceSetFormat.Checksum(labelled), SequenceSetFormat.Checksum(Plain().WithLabels([true, false, true, false, true])));
    }

    [Fact]
    public void ASetWithoutLabelsIsWrittenAsVersionOne()
    {
        var bytes = SequenceSetFormat.ToBytes(Plain());
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Null(SequenceSetFormat.FromBytes(bytes).Labels);
    }

    [Fact]
    public void LabelsFlagInAnOlderVersionIsCorrupt()
    {
        var bytes = SequenceSetFormat.ToBytes(Plain().WithLabels([true, false, true, false, false]));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 2);
        var e = Assert.Throws<InvalidDataException>(() => SequenceSetFormat.FromBytes(bytes));
        Assert.Contains("impossible header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsMustRunParallelToItems() =>
        Assert.Throws<ArgumentException>(() => Plain().WithLabels([true, false]));
}
