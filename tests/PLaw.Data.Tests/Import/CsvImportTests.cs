using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class CsvImportTests
{
    [Fact]
    public void AmazonRatingsWithoutHeaderUseColumnIndices()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("ratings_Games.csv", "A1,B9,5.0,1000\nA2,B8,4.0,900\nA1,B8,3.0,800\n");
        var columns = new CsvColumns("0", "1", Timestamp: "3", Rating: "2", HasHeader: false);
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, columns));

        SequenceAssert.Equal([[1, 2], [1]], result.Sequences);
        Assert.Equal([[800L, 1000L], [900L]], SequenceAssert.Times(result.Sequences));
    }

    [Fact]
    public void KuaiRandLogWithHeaderPicksColumnsByName()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv",
            "user_id,video_id,date,hourmin,time_ms,is_click\n" +
            "7,300,20220408,1100,1649412000500,1\n" +
            "7,301,20220408,1100,1649412000100,0\n" +
            "8,300,20220408,1200,1649415600000,1\n");
        var result = DatasetImporter.Import(file,
            new ImportOptions(InteractionFormat.Csv, new CsvColumns("user_id", "video_id", Timestamp: "TIME_MS")));

        SequenceAssert.Equal([[1, 2], [2]], result.Sequences);
        Assert.Equal(3, result.Statistics.Lines);
        Assert.Equal(1649412000100, result.Sequences.Times(0)[0]);
    }

    [Theory]
    [InlineData('\t')]
    [InlineData(';')]
    public void DelimiterIsSniffedFromTheHeader(char delimiter)
    {
        using var dir = new TempDirectory();
        var d = delimiter.ToString();
        var file = dir.Write("log.txt", $"user{d}item{d}ts\nu1{d}i1{d}2\nu1{d}i2{d}1\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", "ts")));
        SequenceAssert.Equal([[1, 2]], result.Sequences);
    }

    [Fact]
    public void QuotedFieldsMayHoldTheDelimiter()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("reviews.csv",
            "user,title,item,ts\n\"u 1\",\"Good, really\",i1,5\nu2,\"plain\",\"i1\",6\n\"u 1\",\"x,y,z\",i2,7\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", "ts")));
        SequenceAssert.Equal([[1, 2], [1]], result.Sequences);
        Assert.Equal(2, result.Statistics.RawUsers);
    }

    [Fact]
    public void WithoutTimestampColumnFileOrderIsKept()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("pairs.csv", "u,i\nb,z\nb,y\na,z\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("u", "i")));
        SequenceAssert.Equal([[1, 2], [1]], result.Sequences);
        Assert.Null(result.Sequences.Timestamps);
    }

    [Fact]
    public void IsoDateTimestampsAreReadAsUtcSeconds()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("dates.csv", "u,i,t\na,x,2020-01-02T00:00:00Z\na,y,2020-01-01\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("u", "i", "t")));
        Assert.Equal([1577836800L, 1577923200L], result.Sequences.Times(0).ToArray());
        SequenceAssert.Equal([[1, 2]], result.Sequences);
    }

    [Fact]
    public void ByteOrderMarkDoesNotBecomePartOfTheFirstColumnName()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat("user_id,item_id\na,x\n"u8.ToArray()).ToArray();
        var result = DatasetImporter.Import(new MemoryStream(bytes), "bom.csv",
            new ImportOptions(InteractionFormat.Csv, new CsvColumns("user_id", "item_id")));
        SequenceAssert.Equal([[1]], result.Sequences);
    }
}
