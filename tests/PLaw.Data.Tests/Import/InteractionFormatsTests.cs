using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class InteractionFormatsTests
{
    [Theory]
    [InlineData("movielens", InteractionFormat.MovieLens)]
    [InlineData("SASRec", InteractionFormat.Sasrec)]
    [InlineData("CSV", InteractionFormat.Csv)]
    [InlineData("RecBole", InteractionFormat.RecBole)]
    public void ParseIgnoresCase(string name, InteractionFormat expected) =>
        Assert.Equal(expected, InteractionFormats.Parse(name));

    [Fact]
    public void NameRoundTripsThroughParse()
    {
        foreach (var format in Enum.GetValues<InteractionFormat>())
            Assert.Equal(format, InteractionFormats.Parse(InteractionFormats.Name(format)));
        Assert.Equal(["movielens", "sasrec", "csv", "recbole"], InteractionFormats.Names);
    }

    [Fact]
    public void ParseOfUnknownNameListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => InteractionFormats.Parse("parquet"));
        Assert.Contains("parquet", e.Message);
        Assert.Contains("movielens, sasrec, csv, recbole", e.Message);
    }
}
