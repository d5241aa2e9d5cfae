using PLaw.Data.Sequences;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Tests.Evaluation;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

/// <summary>
/// The training and evaluation inputs, written out by hand. User 0: 1..7 (train 1..5, validation 6, test 7); user 1:
/// 8..10 (train 8, validation 9, test 10); user 2: 11, 12 (train-only, fewer than three items). Catalogue of 12.
/// </summary>
public sealed class BatchSamplerTests
{
    private static SequenceSet Data(bool timestamps = false)
    {
        var data = EvaluatorTests.Data([[1, 2, 3, 4, 5, 6, 7], [8, 9, 10], [11, 12]], 12);
        return timestamps ? new SequenceSet(data.Offsets, data.Items, data.ItemCount, data.Items.Select(i => 1000L * i).ToArray()) : data;
    }

    [Fact]
    public void TrainingInputsAreTrainWithoutItsLastItemAndTargetsTheNextTrainItem()
    {
        // pmixer: inputs train[:-1], targets train[1:], left-padded to L = 6. Validation (6, 9) and test (7, 10) items
        // never appear; user 1 has one training item, so no position; the train-only user 2 trains on 11 → 12.
        var sampler = new BatchSampler(new LeaveOneOutSplit(Data(timestamps: true)), maxLength: 6);
        var batch = new SequenceBatch(6);
        sampler.FillTraining(batch, [0, 1, 2], negatives: 1, excludeHistory: true, new Rng(5));
        Assert.Equal([0, 0, 1, 2, 3, 4, /**/ 0, 0, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, 11], batch.Inputs[..18]);
        Assert.Equal([0, 0, 2, 3, 4, 5, /**/ 0, 0, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, 12], batch.Targets[..18]);
        Assert.Equal([0, 0, 1000, 2000, 3000, 4000], batch.InputTimes[..6]);
        Assert.Equal([0, 0, 2000, 3000, 4000, 5000], batch.TargetTimes[..6]);
        Assert.Equal(5, batch.TargetCount());
    }

    [Fact]
    public void TrainingInputsKeepTheNewestItemsWhenTheWindowIsShort()
    {
        var sampler = new BatchSampler(new LeaveOneOutSplit(Data()), maxLength: 3);
        var batch = new SequenceBatch(3);
        sampler.FillTraining(batch, [0], negatives: 1, excludeHistory: false, new Rng(5));
        Assert.Equal([2, 3, 4], batch.Inputs[..3]);
        Assert.Equal([3, 4, 5], batch.Targets[..3]);
    }

    [Fact]
    public void BceNegativesAvoidTheTrainingItemsAndSampledSoftmaxNegativesDoNot()
    {
        // User 0's training items are 1..5: excluded, negatives come from 6..12 (validation and test items included, as
        // pmixer's random_neq over user_train). Without exclusion all of 1..12 occur among 4 × 200 draws.
        var sampler = new BatchSampler(new LeaveOneOutSplit(Data()), maxLength: 6);
        var batch = new SequenceBatch(6);
        sampler.FillTraining(batch, [0], negatives: 200, excludeHistory: true, new Rng(5));
        var drawn = batch.Negatives[(2 * 200)..(6 * 200)];
        Assert.All(drawn, n => Assert.InRange(n, 6, 12));
        Assert.Equal(Enumerable.Range(6, 7), drawn.Distinct().Order());
        Assert.All(batch.Negatives[..(2 * 200)], n => Assert.Equal(0, n)); // pad positions draw nothing

        sampler.FillTraining(batch, [0], negatives: 200, excludeHistory: false, new Rng(5));
        Assert.Equal(Enumerable.Range(1, 12), batch.Negatives[(2 * 200)..(6 * 200)].Distinct().Order());
    }

    [Fact]
    public void EvaluationInputIsTheNewestHistoryLeftPaddedWithTheTargetTimeAfterIt()
    {
        var data = Data(timestamps: true);
        var split = new LeaveOneOutSplit(data);
        var sampler = new BatchSampler(split, maxLength: 4);
        var batch = new SequenceBatch(4);
        batch.Reset(2, 0);
        // Test input of user 0 (train + validation = 1..6), and validation input of user 1 (train = 8).
        sampler.FillInput(batch, 0, split.TrainAndValidation(0), data.Times(0)[..6], data.Times(0)[6]);
        sampler.FillInput(batch, 1, split.Train(1), data.Times(1)[..1], data.Times(1)[1]);
        Assert.Equal([3, 4, 5, 6, /**/ 0, 0, 0, 8], batch.Inputs[..8]);
        Assert.Equal([3000, 4000, 5000, 6000, /**/ 0, 0, 0, 8000], batch.InputTimes[..8]);
        Assert.Equal([4000, 5000, 6000, 7000, /**/ 0, 0, 0, 9000], batch.TargetTimes[..8]);
    }
}
