using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

public sealed class MemoryEstimateTests
{
    public static TheoryData<ModelFamily, LossKind, EvalProtocol, Precision> Configurations() => new()
    {
        { ModelFamily.Sasrec, LossKind.Bce, EvalProtocol.Sampled100, Precision.Fp32 },
        { ModelFamily.Hstu, LossKind.SampledSoftmax, EvalProtocol.Full, Precision.Bf16 },
        { ModelFamily.Llama, LossKind.FullSoftmax, EvalProtocol.Sampled2500, Precision.Fp32 },
    };

    /// <summary>
    /// The estimate bounds what a session really allocates (construction, two steps, a validation pass, a checkpoint;
    /// one thread, so the calling thread's allocation counter sees all of it) and is not a wild overestimate. The estimate is
    /// the worst case, every window full: these sequences are longer than the window, so packing saves nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void EstimateBoundsWhatASessionAllocates(ModelFamily family, LossKind loss, EvalProtocol eval, Precision precision)
    {
        var data = TestData.Walks(users: 300, items: 3000, minLength: 103, maxLength: 140);
        var options = new RunOptions
        {
            Model = family, Layers = 2, Dim = 64, Heads = 2, MaxLength = 100, BatchSize = 64, Loss = loss, Negatives = 64, Eval = eval,
            Precision = precision, Threads = 1, EvalUsers = 0,
        };
        var estimate = MemoryEstimate.Of(options, data.ItemCount);
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var session = new TrainingSession(options, data))
        {
            session.TrainStep();
            session.TrainStep();
            session.Evaluate(test: false);
            session.ToCheckpoint([], 0, 0);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= estimate.Total, $"allocated {allocated:N0} bytes, estimated {estimate.Total:N0} ({estimate})");
        Assert.True(estimate.Total <= 3.0 * allocated, $"allocated {allocated:N0} bytes, estimated {estimate.Total:N0} ({estimate})");
    }
}
