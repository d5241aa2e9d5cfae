using PLaw.Data.Sequences;

namespace PLaw.Data.Tests.Sequences;

public sealed class LeaveOneOutSplitTests
{
    // user 0: 1 2 3 4, user 1: 5 6, user 2: 7 8 9
    private static readonly SequenceSet Sample = new([0, 4, 6, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9], itemCount: 9);

    [Fact]
    public void LastItemIsTestSecondToLastIsValidation()
    {
        var split = new LeaveOneOutSplit(Sample);
        Assert.Equal([1, 2], split.Train(0).ToArray());
        Assert.Equal(3, split.ValidationTarget(0));
        Assert.Equal(4, split.TestTarget(0));
        Assert.Equal([1, 2, 3], split.TrainAndValidation(0).ToArray());
    }

    [Fact]
    public void UsersWithFewerThanThreeItemsAreTrainOnly()
    {
        var split = new LeaveOneOutSplit(Sample);
        Assert.Equal([0, 2], split.ScoredUsers);
        Assert.Equal([5, 6], split.Train(1).ToArray());
    }

    [Fact]
    public void WindowKeepsTheNewestItems()
    {
        Assert.Equal([3, 4], Sample.Window(0, 2).ToArray());
        Assert.Equal([5, 6], Sample.Window(1, 10).ToArray());
    }

    [Fact]
    public void MalformedOffsetsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new SequenceSet([0, 3, 2], [1, 2], 2));
        Assert.Throws<ArgumentException>(() => new SequenceSet([0, 2], [1, 0], 2));
        Assert.Throws<ArgumentException>(() => new SequenceSet([0, 2], [1, 2], 2, timestamps: [1]));
    }
}
