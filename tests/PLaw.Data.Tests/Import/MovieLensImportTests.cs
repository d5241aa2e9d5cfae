using PLaw.Data.Import;

namespace PLaw.Data.Tests.Import;

public class MovieLensImportTests
{
    // user 196 has a timestamp tie (242 and 346 at 881250949): file order decides.
    private static readonly (int User, int Item, string Rating, long Time)[] Rows =
    [
        (196, 242, "3", 881250949),
        (186, 302, "3", 891717742),
        (196, 377, "1", 878887116),
        (186, 51, "2", 880606923),
        (196, 346, "1", 881250949),
    ];

    private static readonly int[][] ExpectedItems = [[1, 2, 3], [4, 5]];
    private static readonly long[][] ExpectedTimes = [[878887116, 881250949, 881250949], [880606923, 891717742]];

    public static TheoryData<string, string> Files() => new()
    {
        { "u.data", string.Concat(Rows.Select(r => $"{r.User}\t{r.Item}\t{r.Rating}\t{r.Time}\n")) },
        { "ratings.dat", string.Concat(Rows.Select(r => $"{r.User}::{r.Item}::{r.Rating}::{r.Time}\r\n")) },
        { "ratings.csv", "userId,movieId,rating,timestamp\n" + string.Concat(Rows.Select(r => $"{r.User},{r.Item},{r.Rating}.5,{r.Time}\n")) },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void EachMovieLensVariantParsesToChronologicalSequences(string name, string content)
    {
        using var dir = new TempDirectory();
        var result = DatasetImporter.Import(dir.Write(name, content), new ImportOptions(InteractionFormat.MovieLens));

        SequenceAssert.Equal(ExpectedItems, result.Sequences);
        Assert.Equal(ExpectedTimes, SequenceAssert.Times(result.Sequences));
        Assert.Equal(5, result.Sequences.ItemCount);
        Assert.Equal(new ImportStatistics(Lines: 5, Interactions: 5, DuplicatesRemoved: 0, BelowRatingThreshold: 0,
            UsersRemovedByCore: 0, ItemsRemovedByCore: 0, RawUsers: 2, RawItems: 5), result.Statistics);
    }

    [Fact]
    public void MinRatingDropsLowRatingsBeforeAnythingElse()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("u.data", string.Concat(Rows.Select(r => $"{r.User}\t{r.Item}\t{r.Rating}\t{r.Time}\n")));
        var result = DatasetImporter.Import(file,
            new ImportOptions(InteractionFormat.MovieLens, Preprocess: new(MinRating: 2)));

        // Kept: 196:242, 186:302, 186:51 -> users 196 [242], 186 [51, 302].
        SequenceAssert.Equal([[1], [2, 3]], result.Sequences);
        Assert.Equal(2, result.Statistics.BelowRatingThreshold);
        Assert.Equal(5, result.Statistics.RawItems);
    }

    [Fact]
    public void BlankLinesAtTheEndAreIgnored()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("u.data", "1\t10\t5\t100\n2\t20\t4\t200\n\n  \n\n");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.MovieLens));
        Assert.Equal(2, result.Statistics.Lines);
        SequenceAssert.Equal([[1], [2]], result.Sequences);
    }

    [Fact]
    public void LastLineWithoutNewlineIsRead()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("ratings.dat", "1::10::5::100\n1::20::4::50");
        var result = DatasetImporter.Import(file, new ImportOptions(InteractionFormat.MovieLens));
        SequenceAssert.Equal([[1, 2]], result.Sequences);
        Assert.Equal([50L, 100L], result.Sequences.Times(0).ToArray());
    }
}
