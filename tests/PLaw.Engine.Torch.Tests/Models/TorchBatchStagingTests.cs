using PLaw.Data.Sequences;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Torch.Tests.Training;
using PLaw.Engine.Training;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Models;

/// <summary>
/// <see cref="TorchBatch"/> through a reused <see cref="TorchBatchStaging"/>, the training step's path: the tensors hold
/// the batch exactly (ids widened to int64, times as they are), batches of other sizes go through the same arrays, and
/// once the arrays have grown, staging a batch allocates no index arrays.
/// </summary>
public sealed class TorchBatchStagingTests
{
    private const int Length = 50, Negatives = 2;

    [Fact]
    public void ReusedStagingHoldsEachBatchExactlyAndAllocatesNoIndexArrays()
    {
        var split = new LeaveOneOutSplit(TrainingData.MovieLens());
        var sampler = new BatchSampler(split, Length);
        var batch = new SequenceBatch(Length);
        var staging = new TorchBatchStaging();
        var users = split.ScoredUsers[..128].ToArray();

        sampler.FillTraining(batch, users, Negatives, excludeHistory: true, new Rng(1));
        Assert.True(batch.HasTimes);
        using (var first = new TorchBatch(batch, CPU, staging)) AssertHolds(batch, first);

        // A smaller batch through the grown arrays: nothing the size of an index array is allocated.
        sampler.FillTraining(batch, users.AsSpan(0, 64), Negatives, excludeHistory: true, new Rng(2));
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var second = new TorchBatch(batch, CPU, staging))
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < batch.Rows * sizeof(long),
                $"staging a batch of {batch.Rows:N0} rows allocated {allocated:N0} bytes; one int64 index array is {batch.Rows * sizeof(long):N0}");
            AssertHolds(batch, second);
        }

        // A larger one grows the arrays once.
        sampler.FillTraining(batch, split.ScoredUsers[..200].ToArray(), Negatives, excludeHistory: true, new Rng(3));
        using (var third = new TorchBatch(batch, CPU, staging)) AssertHolds(batch, third);
    }

    [Fact]
    public void AOneOffBatchWithoutTimesHasNoTimeTensors()
    {
        var batch = new SequenceBatch(4);
        batch.Reset(2, 0);
        batch.Inputs[3] = batch.Targets[2] = 7;
        using var tb = new TorchBatch(batch, CPU);
        AssertHolds(batch, tb);
        Assert.Null(tb.InputTimes);
        Assert.Equal([8L, 0L], tb.Negatives.shape);
    }

    private static void AssertHolds(SequenceBatch batch, TorchBatch tb)
    {
        var rows = batch.Rows;
        var n = batch.NegativesPerPosition;
        Assert.Equal([(long)batch.Count, batch.Length], tb.Inputs.shape);
        Assert.Equal(ScalarType.Int64, tb.Inputs.dtype);
        Assert.Equal(Widened(batch.Inputs.AsSpan(0, rows)), tb.Inputs.data<long>().ToArray());
        Assert.Equal(Widened(batch.Targets.AsSpan(0, rows)), tb.Targets.data<long>().ToArray());
        Assert.Equal([(long)rows, n], tb.Negatives.shape);
        if (n > 0) Assert.Equal(Widened(batch.Negatives.AsSpan(0, rows * n)), tb.Negatives.data<long>().ToArray());
        if (!batch.HasTimes) return;
        Assert.Equal(batch.InputTimes.AsSpan(0, rows).ToArray(), tb.InputTimes!.data<long>().ToArray());
        Assert.Equal(batch.TargetTimes.AsSpan(0, rows).ToArray(), tb.TargetTimes!.data<long>().ToArray());
    }

    private static long[] Widened(ReadOnlySpan<int> values)
    {
        var wide = new long[values.Length];
        for (var i = 0; i < values.Length; i++) wide[i] = values[i];
        return wide;
    }
}
