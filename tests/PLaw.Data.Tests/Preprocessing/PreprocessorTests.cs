using PLaw.Data.Preprocessing;

namespace PLaw.Data.Tests.Preprocessing;

public class PreprocessorTests
{
    private static InteractionTable Table(params (int User, int Item, long Time)[] rows)
    {
        var table = new InteractionTable(hasTimestamps: true);
        foreach (var (u, i, t) in rows)
            table.Add(u, i, t);
        return table;
    }

    [Fact]
    public void StableSortKeepsTimestampTiesInFileOrder()
    {
        // Raw items 10..14; item 11, 12 and 13 share time 3 and must stay in that order.
        var table = Table((0, 10, 5), (0, 11, 3), (0, 12, 3), (0, 13, 3), (0, 14, 1));
        var set = Preprocessor.Apply(table, new()).Sequences;
        // Sorted raw: 14, 11, 12, 13, 10 -> ids by first appearance 1..5.
        SequenceAssert.Equal([[1, 2, 3, 4, 5]], set);
        Assert.Equal([1L, 3, 3, 3, 5], set.Times(0).ToArray());

        // The same ties in the opposite file order come out opposite.
        var reversed = Preprocessor.Apply(Table((0, 13, 3), (0, 12, 3), (0, 11, 3)), new()).Sequences;
        SequenceAssert.Equal([[1, 2, 3]], reversed);
        var withRawIds = Preprocessor.Apply(Table((0, 13, 3), (0, 12, 3), (0, 11, 3), (1, 11, 0)), new()).Sequences;
        SequenceAssert.Equal([[1, 2, 3], [3]], withRawIds);
    }

    [Fact]
    public void UsersAndItemsAreNumberedByFirstAppearanceAfterSorting()
    {
        var set = Preprocessor.Apply(Table((3, 7, 2), (1, 8, 1), (3, 9, 1)), new()).Sequences;
        // Users in raw order 1, 3 (index order = first appearance in the importer). User 1: [8]; user 3: [9, 7].
        SequenceAssert.Equal([[1], [2, 3]], set);
    }

    [Fact]
    public void MaxLengthKeepsTheNewestItems()
    {
        var table = Table((0, 1, 4), (0, 2, 1), (0, 3, 3), (0, 4, 2), (1, 5, 9));
        var set = Preprocessor.Apply(table, new(MaxLength: 2)).Sequences;
        // Sorted user 0: 2@1, 4@2, 3@3, 1@4 -> ids 1, 2, 3, 4; newest two are ids 3, 4.
        SequenceAssert.Equal([[3, 4], [5]], set);
        Assert.Equal([3L, 4], set.Times(0).ToArray());
        Assert.Equal(5, set.ItemCount);
    }

    [Fact]
    public void DuplicatesNeedTheSameUserItemAndTimestamp()
    {
        var table = Table((0, 1, 5), (0, 1, 5), (0, 1, 6), (1, 1, 5), (0, 2, 5), (0, 1, 5));
        var result = Preprocessor.Apply(table, new(RemoveDuplicates: true));
        Assert.Equal(2, result.DuplicatesRemoved);
        SequenceAssert.Equal([[1, 2, 1], [1]], result.Sequences);

        var kept = Preprocessor.Apply(table, new());
        Assert.Equal(0, kept.DuplicatesRemoved);
        Assert.Equal(6, kept.Sequences.InteractionCount);
    }

    [Fact]
    public void KCoreIteratesUntilRemovalsStopCascading()
    {
        // Item core 2, user core 2. Item 9 is seen once -> user 2 drops to one item (8) -> user 2 goes
        // -> item 8 is left with one interaction (user 1) -> user 1 drops to one item -> ... only users 0 and 3 remain.
        var table = Table(
            (0, 5, 1), (0, 6, 2),
            (1, 8, 1), (1, 5, 2),
            (2, 8, 1), (2, 9, 2),
            (3, 5, 1), (3, 6, 2));
        var result = Preprocessor.Apply(table, new(UserCore: 2, ItemCore: 2));
        SequenceAssert.Equal([[1, 2], [1, 2]], result.Sequences);
        Assert.Equal(2, result.UsersRemovedByCore);
        Assert.Equal(2, result.ItemsRemovedByCore);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(10, 0)]
    [InlineData(0, 8)]
    [InlineData(3, 12)]
    public void KCoreReachesTheSameFixedPointAsANaiveReference(int userCore, int itemCore)
    {
        var random = new Random(42);
        var rows = new List<(int User, int Item, long Time)>();
        for (var n = 0; n < 4000; n++)
            rows.Add((random.Next(300), (int)Math.Floor(Math.Pow(random.NextDouble(), 2) * 400), random.Next(1000)));
        var result = Preprocessor.Apply(Table(rows.ToArray()), new(UserCore: userCore, ItemCore: itemCore));
        var set = result.Sequences;

        var itemDegree = new int[set.ItemCount + 1];
        foreach (var item in set.Items) itemDegree[item]++;
        for (var u = 0; u < set.UserCount; u++)
            Assert.True(set.Length(u) >= Math.Max(1, userCore));
        for (var i = 1; i <= set.ItemCount; i++)
            Assert.True(itemDegree[i] >= Math.Max(1, itemCore), $"item {i} has {itemDegree[i]} < {itemCore}");

        // Naive reference: remove rows of weak users/items one pass at a time until nothing changes.
        var alive = rows;
        while (true)
        {
            var users = alive.GroupBy(r => r.User).ToDictionary(g => g.Key, g => g.Count());
            var items = alive.GroupBy(r => r.Item).ToDictionary(g => g.Key, g => g.Count());
            var next = alive.Where(r => users[r.User] >= userCore && items[r.Item] >= itemCore).ToList();
            if (next.Count == alive.Count) break;
            alive = next;
        }
        Assert.Equal(alive.Count, set.InteractionCount);
        Assert.Equal(alive.Select(r => r.User).Distinct().Count(), set.UserCount);
        Assert.Equal(alive.Select(r => r.Item).Distinct().Count(), set.ItemCount);
        Assert.Equal(rows.Select(r => r.User).Distinct().Count() - set.UserCount, result.UsersRemovedByCore);
        Assert.Equal(rows.Select(r => r.Item).Distinct().Count() - set.ItemCount, result.ItemsRemovedByCore);
    }

    [Fact]
    public void UsersWithoutInteractionsDisappear()
    {
        var table = new InteractionTable(hasTimestamps: false);
        table.Add(0, 0);
        table.Add(2, 1);
        var set = Preprocessor.Apply(table, new()).Sequences;
        Assert.Equal(2, set.UserCount);
        Assert.Equal([0, 1, 2], set.Offsets);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        var table = Table((0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessor.Apply(table, new(UserCore: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessor.Apply(table, new(MaxLength: 0)));
    }
}
