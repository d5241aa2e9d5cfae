using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class RecBoleImportTests
{
    private const string Inter =
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" +
        "1\t1193\t5\t978300760\n" +
        "1\t661\t3\t978302109.0\n" +
        "2\t1193\t4\t978298413\n" +
        "1\t914\t3\t978301968\n";

    [Fact]
    public void RecBoleInterPicksUserItemRatingAndTimestampByName()
    {
        using var dir = new TempDirectory();
        var result = DatasetImporter.Import(dir.Write("ml-1m.inter", Inter), new ImportOptions(InteractionFormat.RecBole));

        // user 1: 1193@760, 914@1968, 661@2109; user 2: 1193.
        SequenceAssert.Equal([[1, 2, 3], [1]], result.Sequences);
        Assert.Equal([978300760L, 978301968L, 978302109L], result.Sequences.Times(0).ToArray());
    }

    [Fact]
    public void RecBoleFieldsMayComeInAnyOrderWithExtraFields()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("x.inter", "timestamp:float\tlabel:float\titem_id:token\tuser_id:token\n2\t1\tb\tu\n1\t0\ta\tu\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.RecBole));
        SequenceAssert.Equal([[1, 2]], result.Sequences);
    }

    [Fact]
    public void RecBoleRatingThresholdUsesTheRatingField()
    {
        using var dir = new TempDirectory();
        var result = DatasetImporter.Import(dir.Write("ml-1m.inter", Inter),
            new ImportOptions(InteractionFormat.RecBole, Preprocess: new(MinRating: 4)));
        SequenceAssert.Equal([[1], [1]], result.Sequences);
        Assert.Equal(2, result.Statistics.BelowRatingThreshold);
    }
}
