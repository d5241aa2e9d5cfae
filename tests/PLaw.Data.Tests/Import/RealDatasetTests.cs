using PLaw.Data.Import;
using PLaw.Tests.Common;

namespace PLaw.Data.Tests.Import;

/// <summary>The shared real datasets, compared with a plain LINQ reference reading of the same files.</summary>
public class RealDatasetTests
{
    [Fact]
    public void MovieLens100KImportsAllUsersItemsAndInteractions()
    {
        RepoPaths.RequireSharedData();
        var result = DatasetImporter.Import(RepoPaths.MovieLens100K, new ImportOptions(InteractionFormat.MovieLens));

        Assert.Equal(943, result.Sequences.UserCount);
        Assert.Equal(1682, result.Sequences.ItemCount);
        Assert.Equal(100_000, result.Sequences.InteractionCount);
        Assert.Equal(new ImportStatistics(100_000, 100_000, 0, 0, 0, 0, 943, 1682), result.Statistics);

        // Reference: group by user in first-appearance order, LINQ's stable OrderBy on the timestamp.
        var rows = File.ReadLines(RepoPaths.MovieLens100K).Select(l => l.Split('\t'))
            .Select((f, line) => (User: f[0], Item: f[1], Time: long.Parse(f[3]), Line: line)).ToList();
        var expected = rows.GroupBy(r => r.User).Select(g => g.OrderBy(r => r.Time).ToArray()).ToArray();
        var itemIds = new Dictionary<string, int>();
        for (var u = 0; u < expected.Length; u++)
        {
            var items = expected[u].Select(r => itemIds.TryGetValue(r.Item, out var id) ? id : itemIds[r.Item] = itemIds.Count + 1);
            Assert.Equal(items.ToArray(), result.Sequences.Sequence(u).ToArray());
            Assert.Equal(expected[u].Select(r => r.Time).ToArray(), result.Sequences.Times(u).ToArray());
        }
    }

    [Fact]
    public void AmazonGamesKeepsEachUsersFileOrder()
    {
        RepoPaths.RequireSharedData();
        var result = DatasetImporter.Import(RepoPaths.AmazonGames, new ImportOptions(InteractionFormat.Sasrec));

        Assert.Equal(31_013, result.Sequences.UserCount);
        Assert.Equal(23_715, result.Sequences.ItemCount);
        Assert.Equal(287_107, result.Sequences.InteractionCount);
        Assert.Null(result.Sequences.Timestamps);

        var rows = File.ReadLines(RepoPaths.AmazonGames).Select(l => l.Split(' ')).ToList();
        var expected = rows.GroupBy(f => f[0]).Select(g => g.Select(f => f[1]).ToArray()).ToArray();
        var itemIds = new Dictionary<string, int>();
        for (var u = 0; u < expected.Length; u++)
        {
            var items = expected[u].Select(i => itemIds.TryGetValue(i, out var id) ? id : itemIds[i] = itemIds.Count + 1);
            Assert.Equal(items.ToArray(), result.Sequences.Sequence(u).ToArray());
        }
    }
}
