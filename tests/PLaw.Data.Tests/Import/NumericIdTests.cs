using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

/// <summary>
/// Numeric ids take a digits-only fast path and small ids an array instead of a dictionary: the same id written
/// differently, or lying on either side of the array's limit, must still be one id, and distinct ids must stay distinct.
/// </summary>
public class NumericIdTests
{
    [Fact]
    public void TheSameIdIsOneIdHoweverWrittenAndWhateverItsSize()
    {
        using var dir = new TempDirectory();
        // users: 7 (also "+7", "007"), 4194303 and 4194304 (either side of the array limit, 2^22), 9223372036854775807, -1, 17, 70
        var file = dir.Write("seq.txt", string.Join('\n',
            "7 1", "4194304 2", "+7 3", "4194303 4", "007 5", "9223372036854775807 6", "-1 7", "+4194304 8", "4194303 9",
            "17 10", "70 11", "-1 12", "9223372036854775807 13", "0004194304 14", "00000000000000000000070 15") + "\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec));

        // users by first appearance: 7, 4194304, 4194303, max, -1, 17, 70; items 1..15 numbered by first appearance in that order
        SequenceAssert.Equal([[1, 2, 3], [4, 5, 6], [7, 8], [9, 10], [11, 12], [13], [14, 15]], result.Sequences);
        Assert.Equal(7, result.Statistics.RawUsers);
        Assert.Equal(15, result.Statistics.RawItems);
    }

    [Fact]
    public void ABadIdStillNamesTheFileAndLine()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("seq.txt", "1 5\n2 6\n3 6x\n");
        var error = Assert.Throws<DataFormatException>(() => DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec)));
        Assert.Equal(3, error.Line);
        Assert.Contains("seq.txt:3: expected a numeric item id in field 2, found '6x'", error.Message);
        var tooLong = dir.Write("long.txt", "1 5\n99999999999999999999 6\n");
        Assert.Equal(2, Assert.Throws<DataFormatException>(() => DatasetImporter.Import(tooLong, new ImportOptions(InteractionFormat.Sasrec))).Line);
    }
}
