using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class SasrecImportTests
{
    [Fact]
    public void SasrecKeepsFileOrderAndRepeatsWithoutTimestamps()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("seq.txt", "1 5\n1 3\n2 3\n1\t5\n  2   7  \n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec));

        SequenceAssert.Equal([[1, 2, 1], [2, 3]], result.Sequences);
        Assert.Null(result.Sequences.Timestamps);
        Assert.Equal(3, result.Sequences.ItemCount);
        Assert.Equal(5, result.Statistics.Interactions);
    }

    [Fact]
    public void UsersAreNumberedByFirstAppearanceNotById()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("seq.txt", "9 100\n3 200\n9 200\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec));
        SequenceAssert.Equal([[1, 2], [2]], result.Sequences);
    }

    [Fact]
    public void DuplicateSasrecLinesAreRemovedOnlyWhenAsked()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("seq.txt", "1 5\n1 5\n1 6\n");
        var kept = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec));
        var removed = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec, Preprocess: new(RemoveDuplicates: true)));
        SequenceAssert.Equal([[1, 1, 2]], kept.Sequences);
        SequenceAssert.Equal([[1, 2]], removed.Sequences);
        Assert.Equal(1, removed.Statistics.DuplicatesRemoved);
    }
}
