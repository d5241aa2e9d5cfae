using PLaw.Data.Import;

namespace PLaw.Data.Tests.Domains;

/// <summary>The item→domain file: what it accepts, and each bad line named by file and line.</summary>
public sealed class ItemDomainFileTests
{
    private static ItemDomainFile Read(string text) => ItemDomainFile.Read(new StringReader(text), "items.tsv");

    private static DataFormatException Fails(string text)
    {
        var e = Assert.Throws<DataFormatException>(() => Read(text));
        Assert.Equal("items.tsv", e.Source);
        Assert.StartsWith($"items.tsv:{e.Line}: expected ", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void TabsCommasAHeaderAndBlankLinesAreRead()
    {
        var file = Read("item\tdomain\n1\tbooks\n\n2,music\n 3 \t books \n1\tbooks\n");
        Assert.Equal(["books", "music"], file.Names);
        Assert.Equal(3, file.Count);
        Assert.True(file.TryGet("3", numeric: false, out var d3));
        Assert.Equal(0, d3);
        Assert.True(file.TryGet("2", numeric: false, out var d2));
        Assert.Equal(1, d2);
        Assert.False(file.TryGet("4", numeric: false, out _));
    }

    [Fact]
    public void NumericIdsMatchByNumber()
    {
        var file = Read("007\tbooks\n8\tmusic\n");
        Assert.False(file.TryGet("7", numeric: false, out _));
        Assert.True(file.TryGet("7", numeric: true, out var d));
        Assert.Equal(0, d);
    }

    [Fact]
    public void ALineWithoutASeparatorNamesItsLine()
    {
        var e = Fails("1\tbooks\n2 music\n");
        Assert.Equal(2, e.Line);
        Assert.Contains("an item id and its domain separated by a tab", e.Expected, StringComparison.Ordinal);
        Assert.EndsWith("found '2 music'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AThirdFieldIsAnError()
    {
        var e = Fails("1\tbooks\tpaper\n");
        Assert.Equal(1, e.Line);
        Assert.Contains("exactly two fields", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyDomainOrItemIsAnError()
    {
        Assert.Equal(3, Fails("1\tbooks\n2\tmusic\n3\t \n").Line);
        Assert.Contains("a domain name", Fails("1\tbooks\n2\tmusic\n3\t \n").Expected, StringComparison.Ordinal);
        Assert.Contains("an item id", Fails("\tbooks\n").Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void AnItemInTwoDomainsNamesBothLines()
    {
        var e = Fails("1\tbooks\n2\tmusic\n1\tmusic\n");
        Assert.Equal(3, e.Line);
        Assert.Contains("item '1' in domain 'books' as on line 1", e.Expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("item\tdomain\n\n")]
    public void AFileWithoutItemsIsAnError(string text) =>
        Assert.Contains("at least one line", Fails(text).Expected, StringComparison.Ordinal);

    [Fact]
    public void AMissingFileIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ItemDomainFile.Read("/nonexistent/items.tsv"));
        Assert.Contains("/nonexistent/items.tsv", e.Message, StringComparison.Ordinal);
    }
}
