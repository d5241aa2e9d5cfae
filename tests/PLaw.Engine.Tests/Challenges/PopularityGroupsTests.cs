using PLaw.Engine.Challenges;

namespace PLaw.Engine.Tests.Challenges;

public sealed class PopularityGroupsTests
{
    [Fact]
    public void TenItemsMakeGroupsOfThreeThreeTwoTwoWithTiesByItemId()
    {
        // Counts by item 1..10: 5 0 7 2 2 9 0 2 1 0. Order (count desc, id asc): 6(9) 3(7) 1(5) | 4(2) 5(2) 8(2) | 9(1) 2(0) | 7(0) 10(0).
        // 10 = 4·2 + 2: the two extra items go to G1 and G2.
        var g = PopularityGroups.FromCounts([0, 5, 0, 7, 2, 2, 9, 0, 2, 1, 0]);
        Assert.Equal([3, 3, 2, 2], g.Sizes);
        int[] expected = [-1, 0, 2, 0, 1, 1, 0, 3, 1, 2, 3];
        for (var item = 1; item <= 10; item++) Assert.Equal(expected[item], g.GroupOf(item));
        Assert.Equal([9L, 2, 1, 0], g.MaxCount);
        Assert.Equal([5L, 2, 0, 0], g.MinCount);
    }

    [Fact]
    public void FewerItemsThanGroupsIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => PopularityGroups.FromCounts([0, 1, 2, 3]));
        Assert.Contains("3 items cannot make 4 popularity groups", e.Message, StringComparison.Ordinal);
    }
}
