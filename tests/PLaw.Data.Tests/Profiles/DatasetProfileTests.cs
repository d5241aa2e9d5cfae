using PLaw.Data.Profiles;
using PLaw.Data.Sequences;

namespace PLaw.Data.Tests.Profiles;

public sealed class DatasetProfileTests
{
    // user 0: 1 2 3 1 1 (5 items), user 1: 2 2 (2), user 2: 4 (1)
    private static readonly SequenceSet Sample = new([0, 5, 7, 8], [1, 2, 3, 1, 1, 2, 2, 4], itemCount: 4);

    [Fact]
    public void LengthsAreCountedAfterTruncation()
    {
        var profile = DatasetProfile.Compute(Sample, maxLength: 3, bins: 10);
        Assert.Equal(1, profile.TruncatedUsers);
        Assert.Equal((3 + 2 + 1) / 3.0, profile.MeanLength, 12);
        Assert.Equal(2, profile.MedianLength);
        Assert.Equal(3, profile.Lengths.Sum(b => b.Users));
        Assert.Equal([new LengthBin(1, 1, 1), new LengthBin(2, 2, 1), new LengthBin(3, 3, 1)], profile.Lengths);
    }

    [Fact]
    public void PopularityIsDescendingOverTheWindows()
    {
        // windows of 3: [3 1 1], [2 2], [4] -> counts 1:2, 2:2, 3:1, 4:1
        var profile = DatasetProfile.Compute(Sample, maxLength: 3);
        Assert.Equal([2L, 2, 1, 1], profile.Popularity.Select(p => p.Count));
        Assert.Equal([1, 2, 3, 4], profile.Popularity.Select(p => p.Rank));
        Assert.Equal(4, profile.ItemsSeen);
    }

    [Fact]
    public void GiniIsZeroForEqualPopularityAndLargeForOneHit()
    {
        var equal = new SequenceSet([0, 4], [1, 2, 3, 4], itemCount: 4);
        Assert.Equal(0, DatasetProfile.Compute(equal, 10).GiniCoefficient, 12);
        var skewed = new SequenceSet([0, 8, 9], [1, 1, 1, 1, 1, 1, 1, 1, 2], itemCount: 2);
        Assert.True(DatasetProfile.Compute(skewed, 100).GiniCoefficient > 0.35);
    }

    [Fact]
    public void LongTailsAreThinnedToLogSpacedRanks()
    {
        const int items = 5000;
        var sequence = Enumerable.Range(1, items).ToArray();
        var set = new SequenceSet([0, items], sequence, items);
        var profile = DatasetProfile.Compute(set, items, maxPopularityPoints: 100);
        Assert.InRange(profile.Popularity.Count, 50, 100);
        Assert.Equal(1, profile.Popularity[0].Rank);
        Assert.Equal(items, profile.Popularity[^1].Rank);
        Assert.True(profile.Popularity.Zip(profile.Popularity.Skip(1)).All(p => p.First.Rank < p.Second.Rank));
    }
}
