using PLaw.Data.Import;
using PLaw.Data.Preprocessing;
using PLaw.Data.Sequences;

namespace PLaw.Data.Tests.Domains;

/// <summary>Item domains at import: a CSV domain column or an item→domain file, carried onto the preprocessed item ids.</summary>
public sealed class ItemDomainImportTests
{
    private static string DomainOfItem(SequenceSet set, int user, int position) =>
        set.Domains!.Names[set.Domains.Of(set.Sequence(user)[position])];

    [Fact]
    public void ACsvDomainColumnFollowsEachItemToItsNewId()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv", "user,item,ts,cat\nu1,b7,3,books\nu1,m2,1,music\nu2,b7,5,books\nu2,g1,6,games\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", "ts", Domain: "cat")));
        var set = result.Sequences;
        // u1 sorted by time: m2 (1), b7 (3); u2: b7, g1. Item ids by first appearance: m2 = 1, b7 = 2, g1 = 3.
        Assert.Equal([1, 2, 2, 3], set.Items);
        Assert.Equal(["books", "music", "games"], set.Domains!.Names); // in order of first appearance in the file
        Assert.Equal("music", DomainOfItem(set, 0, 0));
        Assert.Equal("books", DomainOfItem(set, 0, 1));
        Assert.Equal("games", DomainOfItem(set, 1, 1));
        Assert.Equal(3, result.Statistics.Domains);
    }

    [Fact]
    public void AnItemNamingTwoDomainsIsAnErrorWithBothLines()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv", "user,item,cat\nu1,b7,books\nu2,m2,music\nu3,b7,music\n");
        var e = Assert.Throws<DataFormatException>(() =>
            DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", Domain: "cat"))));
        Assert.Equal(4, e.Line);
        Assert.StartsWith($"{file}:4: expected item 'b7' in domain 'books' as on line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyDomainCellIsAnError()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv", "user,item,cat\nu1,b7,books\nu2,m2,\n");
        var e = Assert.Throws<DataFormatException>(() =>
            DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", Domain: "cat"))));
        Assert.Equal(3, e.Line);
        Assert.Contains("the item's domain in field 3", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownDomainColumnNamesTheHeader()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv", "user,item\nu1,b7\n");
        var e = Assert.Throws<DataFormatException>(() =>
            DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", Domain: "cat"))));
        Assert.Contains("a column named 'cat' for the item domain", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void AnItemDomainFileGivesNumericIdsTheirDomainsAndSurvivesKCore()
    {
        using var dir = new TempDirectory();
        // u.data layout; item 30 occurs once and goes with a 2-core, leaving domain "rare" without items.
        var log = dir.Write("u.data", "1\t10\t5\t100\n1\t20\t5\t101\n2\t20\t4\t102\n2\t10\t3\t103\n3\t30\t3\t104\n3\t10\t4\t105\n3\t20\t4\t106\n");
        var domains = dir.Write("items.tsv", "item\tdomain\n010\tdrama\n20\tcomedy\n30\trare\n99\tunused\n");
        var result = DatasetImporter.Import(log, new ImportOptions(InteractionFormat.MovieLens, Preprocess: new PreprocessOptions(ItemCore: 2),
            ItemDomainFile: domains));
        var set = result.Sequences;
        Assert.Equal(2, set.ItemCount);
        Assert.Equal(["drama", "comedy"], set.Domains!.Names);
        Assert.Equal("drama", DomainOfItem(set, 0, 0)); // user 1: 10, 20
        Assert.Equal("comedy", DomainOfItem(set, 0, 1));
    }

    [Fact]
    public void AnItemMissingFromTheDomainFileNamesTheInteractionLine()
    {
        using var dir = new TempDirectory();
        var log = dir.Write("u.data", "1\t10\t5\t100\n1\t20\t5\t101\n2\t30\t4\t102\n");
        var domains = dir.Write("items.tsv", "10\tdrama\n20\tcomedy\n");
        var e = Assert.Throws<DataFormatException>(() =>
            DatasetImporter.Import(log, new ImportOptions(InteractionFormat.MovieLens, ItemDomainFile: domains)));
        Assert.Equal(3, e.Line);
        Assert.StartsWith($"{log}:3: expected an item listed in the item→domain file {domains}", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("found '30'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadDomainFileFailsBeforeTheLogIsRead()
    {
        using var dir = new TempDirectory();
        var log = dir.Write("u.data", "1\t10\t5\t100\n");
        var domains = dir.Write("items.tsv", "10\tdrama\n20\n");
        var e = Assert.Throws<DataFormatException>(() =>
            DatasetImporter.Import(log, new ImportOptions(InteractionFormat.MovieLens, ItemDomainFile: domains)));
        Assert.Equal(domains, e.Source);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void AColumnAndAFileTogetherAreRefused()
    {
        using var dir = new TempDirectory();
        var log = dir.Write("log.csv", "user,item,cat\nu1,b7,books\n");
        var domains = dir.Write("items.tsv", "b7\tbooks\n");
        var e = Assert.Throws<ArgumentException>(() => DatasetImporter.Import(log,
            new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item", Domain: "cat"), ItemDomainFile: domains)));
        Assert.Contains("either as a domain column or as an item→domain file, not both", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutDomainsNothingChanges()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("log.csv", "user,item\nu1,b7\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.Csv, new CsvColumns("user", "item")));
        Assert.Null(result.Sequences.Domains);
        Assert.Equal(0, result.Statistics.Domains);
    }
}
