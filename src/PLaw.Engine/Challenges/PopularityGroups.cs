using PLaw.Data.Sequences;

namespace PLaw.Engine.Challenges;

/// <summary>
/// LSRM §V long tail: items sorted by training popularity and cut into equal-sized groups, G1 the most popular (head) to
/// G4 the least (tail). Popularity is the number of times an item occurs in the training items of the users that train
/// (held-out new users excluded). Order: count descending, ties by item id ascending. Sizes: ⌊I/4⌋ each, and the
/// I mod 4 remaining items go one each to G1, G2, … (the head groups), so sizes differ by at most one.
/// </summary>
public sealed class PopularityGroups
{
    private PopularityGroups(int[] groupOf, long[] counts, int[] sizes, long[] min, long[] max) =>
        (_groupOf, Counts, Sizes, MinCount, MaxCount) = (groupOf, counts, sizes, min, max);

    private readonly int[] _groupOf;

    /// <summary>Training occurrences per item id (index 0 unused).</summary>
    public long[] Counts { get; }
    public int[] Sizes { get; }
    public long[] MinCount { get; }
    public long[] MaxCount { get; }
    public int GroupCount => Sizes.Length;

    /// <summary>0-based group of an item (0 = G1, the most popular).</summary>
    public int GroupOf(int item) => _groupOf[item];

    public static PopularityGroups FromTraining(LeaveOneOutSplit split, int[] trainUsers, int groups = 4)
    {
        var counts = new long[split.Sequences.ItemCount + 1];
        foreach (var u in trainUsers)
            foreach (var item in split.Train(u)) counts[item]++;
        return FromCounts(counts, groups);
    }

    /// <summary>Groups for per-item counts <paramref name="counts"/> (index = item id, index 0 ignored).</summary>
    public static PopularityGroups FromCounts(long[] counts, int groups = 4)
    {
        var items = counts.Length - 1;
        if (items < groups) throw new ArgumentException($"{items} items cannot make {groups} popularity groups.");
        var order = Enumerable.Range(1, items).OrderByDescending(i => counts[i]).ThenBy(i => i).ToArray();
        var sizes = new int[groups];
        for (var g = 0; g < groups; g++) sizes[g] = items / groups + (g < items % groups ? 1 : 0);
        var groupOf = new int[counts.Length];
        var min = new long[groups];
        var max = new long[groups];
        var at = 0;
        for (var g = 0; g < groups; g++)
        {
            max[g] = counts[order[at]];
            for (var k = 0; k < sizes[g]; k++, at++) groupOf[order[at]] = g;
            min[g] = counts[order[at - 1]];
        }
        return new PopularityGroups(groupOf, counts, sizes, min, max);
    }
}
