using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class BadInputTests
{
    private static readonly ImportOptions MovieLens = new(InteractionFormat.MovieLens);

    private static DataFormatException Fails(string name, string content, ImportOptions options)
    {
        using var dir = new TempDirectory();
        var file = dir.Write(name, content);
        var e = Assert.Throws<DataFormatException>(() => DatasetImporter.Import(file, options));
        Assert.Equal(file, e.Source);
        Assert.StartsWith($"{file}:{e.Line}: expected {e.Expected}, found '", e.Message);
        return e;
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void EmptyFileSaysNoInteractions(string content)
    {
        var e = Fails("u.data", content, MovieLens);
        Assert.Contains("at least one interaction", e.Expected);
        Assert.Contains("empty", e.Expected);
    }

    [Fact]
    public void HeaderWithoutRowsSaysNoInteractions()
    {
        var e = Fails("log.csv", "user,item\n", new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item")));
        Assert.Equal(2, e.Line);
        Assert.Contains("at least one interaction", e.Expected);
    }

    [Fact]
    public void UDataReadAsCommaCsvNamesLineAndFieldCounts()
    {
        var columns = new CsvColumns("0", "1", Timestamp: "3", Rating: "2", Delimiter: ',', HasHeader: false);
        var e = Fails("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n", new ImportOptions(InteractionFormat.Csv, columns));
        Assert.Equal(1, e.Line);
        Assert.Equal("at least 4 ',' separated fields (0, 1, 2, 3) but the line has 1", e.Expected);
        Assert.Contains("found '196\\t242\\t3\\t881250949'", e.Message);
    }

    [Fact]
    public void RatingsDatReadAsSasrecHasOneField()
    {
        var e = Fails("ratings.dat", "1::1193::5::978300760\n", new ImportOptions(InteractionFormat.Sasrec));
        Assert.Equal(1, e.Line);
        Assert.Contains("2 whitespace separated fields (user, item) but the line has 1", e.Expected);
    }

    [Fact]
    public void NonNumericTimestampNamesLineAndField()
    {
        var e = Fails("u.data", "1\t10\t5\t100\n1\t11\t5\t200\n1\t12\t5\tyesterday\n", MovieLens);
        Assert.Equal(3, e.Line);
        Assert.Equal("a numeric timestamp in field 4", e.Expected);
        Assert.EndsWith("found 'yesterday'", e.Message);
    }

    [Fact]
    public void NonNumericRatingIsRejected()
    {
        var e = Fails("ratings.dat", "1::10::5::100\n1::11::good::200\n", MovieLens);
        Assert.Equal(2, e.Line);
        Assert.Equal("a numeric rating in field 3", e.Expected);
    }

    [Theory]
    [InlineData("u.data", "1\t10\t5\t100\nA7\t11\t5\t200\n", InteractionFormat.MovieLens, "a numeric user id in field 1")]
    [InlineData("seq.txt", "1 10\n1 x11\n", InteractionFormat.Sasrec, "a numeric item id in field 2")]
    public void NonNumericIdIsRejectedForNumericFormats(string name, string content, InteractionFormat format, string expected)
    {
        var e = Fails(name, content, new ImportOptions(format));
        Assert.Equal(2, e.Line);
        Assert.Equal(expected, e.Expected);
    }

    [Theory]
    [InlineData("1\t10\t5\t100\n2\t20\t4\t200\n3\t30\t")]
    [InlineData("1\t10\t5\t100\n2\t20\t4\t200\n3\t30")]
    public void TruncatedLastLineIsReportedWithItsNumber(string content)
    {
        var e = Fails("u.data", content, MovieLens);
        Assert.Equal(3, e.Line);
        Assert.StartsWith("4 tab separated fields (user, item, rating, timestamp) but the line has", e.Expected);
    }

    [Fact]
    public void TruncatedCsvLineHasFewerFieldsThanTheHeader()
    {
        var e = Fails("log.csv", "user,item,ts,extra\na,b,1,x\na,c,2\n",
            new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", "ts")));
        Assert.Equal(3, e.Line);
        Assert.Contains("but the line has 3", e.Expected);
    }

    [Fact]
    public void MissingCsvColumnListsTheHeader()
    {
        var e = Fails("log.csv", "user_id,video_id\n1,2\n",
            new ImportOptions(InteractionFormat.Csv, new CsvColumns("user_id", "item_id")));
        Assert.Equal(1, e.Line);
        Assert.Equal("a column named 'item_id' for the item in the ',' separated header (user_id, video_id)", e.Expected);
    }

    [Fact]
    public void WrongRatingsCsvHeaderIsRejected()
    {
        var e = Fails("tags.csv", "userId,movieId,tag,timestamp\n1,2,funny,3\n", MovieLens);
        Assert.Equal(1, e.Line);
        Assert.Contains("userId,movieId,rating,timestamp", e.Expected);
    }

    [Fact]
    public void RecBoleHeaderWithoutItemIdIsRejected()
    {
        var e = Fails("x.inter", "user_id:token\tmovie:token\n1\t2\n", new ImportOptions(InteractionFormat.RecBole));
        Assert.Equal(1, e.Line);
        Assert.Contains("item_id:token", e.Expected);
    }

    [Fact]
    public void MinRatingWithoutRatingColumnIsAnOptionsError()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("seq.txt", "1 2\n");
        var e = Assert.Throws<ArgumentException>(() =>
            DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Sasrec, Preprocess: new(MinRating: 3))));
        Assert.Contains("rating column", e.Message);
    }

    [Fact]
    public void CsvWithoutColumnMappingIsAnOptionsError()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv", "u,i\n1,2\n");
        Assert.Throws<ArgumentException>(() => DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv)));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetImporter.Import("/nonexistent/u.data", new ImportOptions(InteractionFormat.MovieLens)));
        Assert.Contains("/nonexistent/u.data", e.Message);
    }

    [Fact]
    public void FilteringAwayEverythingThrowsInsteadOfReturningAnEmptySet()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("u.data", "1\t10\t1\t100\n2\t20\t2\t200\n");
        var e = Assert.Throws<InvalidOperationException>(() => DatasetImporter.Import(file,
            new ImportOptions(InteractionFormat.MovieLens, Preprocess: new(MinRating: 4))));
        Assert.Contains("2 below the rating threshold", e.Message);
    }

    [Fact]
    public void StreamImportNamesTheGivenSource()
    {
        var stream = new MemoryStream("1 2\n3\n"u8.ToArray());
        var e = Assert.Throws<DataFormatException>(() =>
            DatasetImporter.Import(stream, "upload.txt", new ImportOptions(InteractionFormat.Sasrec)));
        Assert.Equal("upload.txt", e.Source);
        Assert.StartsWith("upload.txt:2: expected 2 whitespace separated fields (user, item) but the line has 1, found '3'", e.Message);
    }
}
