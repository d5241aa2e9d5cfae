using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;

namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>
/// A torch session restores checkpoints through the same <see cref="TrainingProgress"/> as the native one, so a checkpoint
/// of SASRec "original" from before it became Kang's layout (it had the attention output projection, now "original-proj")
/// is refused with the same explanation on both backends, and the honest variant reads it.
/// </summary>
public sealed class TorchCheckpointLayoutTests
{
    [Fact]
    public void ACheckpointOfTheOldOriginalLayoutIsRefusedWithTheVariantThatReadsIt()
    {
        var data = TrainingData.Walks();
        var tiny = new RunOptions
        {
            Backend = TrainingBackends.Torch, Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, BatchSize = 8, Epochs = 1, Threads = 1,
        };
        Checkpoint old;
        using (var withProjection = new TorchTrainingSession(tiny with { Variant = Variants.OriginalProj }, data, DeviceNames.Cpu))
        {
            withProjection.TrainStep();
            old = withProjection.ToCheckpoint([], 0, 0);
        }

        // 1 block at d = 8: the projection is 8·8 + 8 = 72 weights more.
        using var kang = new TorchTrainingSession(tiny with { Variant = Variants.Original }, data, DeviceNames.Cpu);
        var e = Assert.Throws<ArgumentException>(() => kang.Restore(old));
        Assert.Contains($"holds {old.Weights.Length:N0} parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains($"has {old.Weights.Length - 72:N0}", e.Message, StringComparison.Ordinal);
        Assert.Contains("72 = 1 × (d² + d)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Variants.OriginalProj}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, kang.Step); // nothing was taken from the refused checkpoint
        using (var native = new TrainingSession(tiny with { Backend = TrainingBackends.Native, Variant = Variants.Original }, data))
            Assert.Equal(Assert.Throws<ArgumentException>(() => native.Restore(old)).Message, e.Message);

        using var proj = new TorchTrainingSession(tiny with { Variant = Variants.OriginalProj }, data, DeviceNames.Cpu);
        proj.Restore(old);
        Assert.Equal(old.Weights, proj.Model.ValuesAsSingle());
        Assert.Equal(1, proj.Step);
    }
}
