using PLaw.Engine.Models;
using PLaw.Engine.Ranking;

namespace PLaw.Engine.Tests.Ranking;

/// <summary>The ranker's input: [i₁, a₁, i₂, a₂, …] left-padded, targets at the item tokens, an action's time its item's.</summary>
public sealed class InterleavingTests
{
    private const int Items = 9, Negative = Items + 1, Positive = Items + 2;
    private const sbyte None = Interleaving.NoTarget;

    [Fact]
    public void TrainingWindowsPairEachItemWithItsActionAndTargetEveryItem()
    {
        var batch = new SequenceBatch(8);
        batch.Reset(1, 0);
        var targets = new sbyte[8];
        Interleaving.Fill(batch, 0, Items, [5, 6, 7], [true, false, true], [10, 20, 30], historyTargets: true, candidate: 0,
            candidateLabel: false, candidateTime: 0, targets);
        Assert.Equal(new int[] { 0, 0, 5, Positive, 6, Negative, 7, Positive }, batch.Inputs[..8]);
        Assert.Equal(new sbyte[] { None, None, 1, None, 0, None, 1, None }, targets);
        Assert.Equal(new long[] { 0, 0, 10, 10, 20, 20, 30, 30 }, batch.InputTimes[..8]);
        // τ of the next token: an item's is its own action's, an action's the next item's, the last action's its own.
        Assert.Equal(new long[] { 0, 0, 10, 20, 20, 30, 30, 30 }, batch.TargetTimes[..8]);
    }

    [Fact]
    public void AWindowKeepsTheNewestPairs()
    {
        var batch = new SequenceBatch(4);
        batch.Reset(2, 0);
        var targets = new sbyte[8];
        Interleaving.Fill(batch, 1, Items, [5, 6, 7], [true, false, true], [], historyTargets: true, candidate: 0,
            candidateLabel: false, candidateTime: 0, targets);
        Assert.Equal(new int[] { 0, 0, 0, 0, 6, Negative, 7, Positive }, batch.Inputs[..8]);
        Assert.Equal(new sbyte[] { 0, None, 1, None }, targets[4..]);
    }

    [Fact]
    public void ACandidateComesLastWithoutItsActionAndIsTheOnlyTarget()
    {
        var batch = new SequenceBatch(6);
        batch.Reset(1, 0);
        var targets = new sbyte[6];
        Interleaving.Fill(batch, 0, Items, [5, 6, 7], [true, false, true], [10, 20, 30], historyTargets: false, candidate: 8,
            candidateLabel: false, candidateTime: 40, targets);
        // Five tokens fit: the two newest pairs, then the candidate.
        Assert.Equal(new int[] { 0, 6, Negative, 7, Positive, 8 }, batch.Inputs[..6]);
        Assert.Equal(new sbyte[] { None, None, None, None, None, 0 }, targets);
        Assert.Equal(new long[] { 0, 20, 20, 30, 30, 40 }, batch.InputTimes[..6]);
        Assert.Equal(new long[] { 0, 20, 30, 30, 40, 40 }, batch.TargetTimes[..6]);
    }
}
