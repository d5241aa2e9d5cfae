using PLaw.Engine.Optim;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

public sealed class RunLimitsTests
{
    private static RunOptions WithFloating(string name, double v) => name switch
    {
        "Dropout" => new RunOptions { Dropout = v },
        "Temperature" => new RunOptions { Temperature = v },
        "LearningRate" => new RunOptions { LearningRate = v },
        "MinLearningRate" => new RunOptions { MinLearningRate = v },
        "SgdLearningRate" => new RunOptions { SgdLearningRate = v },
        "Adam beta1" => new RunOptions { Beta1 = v },
        "Adam beta2" => new RunOptions { Beta2 = v },
        "Epsilon" => new RunOptions { Epsilon = v },
        "WeightDecay" => new RunOptions { WeightDecay = v },
        "Momentum" => new RunOptions { Momentum = v },
        _ => new RunOptions { ClipNorm = v },
    };

    [Theory]
    [InlineData("Dropout")]
    [InlineData("Temperature")]
    [InlineData("LearningRate")]
    [InlineData("MinLearningRate")]
    [InlineData("SgdLearningRate")]
    [InlineData("Adam beta1")]
    [InlineData("Adam beta2")]
    [InlineData("Epsilon")]
    [InlineData("WeightDecay")]
    [InlineData("Momentum")]
    [InlineData("ClipNorm")]
    public void NaNAndInfinityAreRefusedForEveryFloatingOption(string name)
    {
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var problems = WithFloating(name, bad).Validate(100);
            var problem = Assert.Single(problems);
            Assert.StartsWith(name + " must be a finite number", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NaNLayerDropoutIsRefused() =>
        Assert.Contains("Every LayerDropout rate must be in [0, 1).", new RunOptions { LayerDropout = [0.1, double.NaN] }.Validate());

    [Theory]
    [InlineData("Layers", 100_000)]
    [InlineData("Dim", 100_000)]
    [InlineData("Heads", 1_000)]
    [InlineData("MaxLength", 1_000_000)]
    [InlineData("Sampled softmax negatives", 100_000_000)]
    [InlineData("BatchSize", 1_000_000)]
    [InlineData("Epochs", 1_000_000)]
    [InlineData("EvalEvery", 1_000_000)]
    [InlineData("Threads", 10_000)]
    [InlineData("WarmupSteps", -1)]
    [InlineData("PlateauPatience", 0)]
    public void EveryWholeOptionHasAnUpperAndLowerLimit(string name, int value)
    {
        var o = name switch
        {
            "Layers" => new RunOptions { Layers = value },
            "Dim" => new RunOptions { Dim = value, Heads = 1 },
            "Heads" => new RunOptions { Heads = value, Dim = 1_000 },
            "MaxLength" => new RunOptions { MaxLength = value },
            "Sampled softmax negatives" => new RunOptions { Loss = LossKind.SampledSoftmax, Negatives = value },
            "BatchSize" => new RunOptions { BatchSize = value },
            "Epochs" => new RunOptions { Epochs = value },
            "EvalEvery" => new RunOptions { EvalEvery = value },
            "Threads" => new RunOptions { Threads = value },
            "WarmupSteps" => new RunOptions { WarmupSteps = value },
            _ => new RunOptions { PlateauPatience = value },
        };
        var problem = Assert.Single(o.Validate(100));
        Assert.StartsWith($"{name} must be from ", problem, StringComparison.Ordinal);
        Assert.Contains("(got ", problem, StringComparison.Ordinal);
        Assert.Empty(new RunOptions().Validate(100)); // the defaults stay inside every range
    }

    [Fact]
    public void TheLimitsThemselvesAreAccepted()
    {
        var o = new RunOptions
        {
            Layers = RunLimits.MaxLayers, Dim = RunLimits.MaxDim, Heads = RunLimits.MaxHeads, MaxLength = RunLimits.MaxWindow,
            Negatives = RunLimits.MaxNegatives, BatchSize = RunLimits.MaxBatchSize, Epochs = RunLimits.MaxEpochs, Threads = RunLimits.MaxThreads,
            LearningRate = RunLimits.MaxLearningRate, ClipNorm = RunLimits.MaxClipNorm, Optimizer = OptimizerKind.AdamW,
        };
        Assert.Empty(o.Validate(100));
    }

    [Fact]
    public void AModelThatCannotFitIsRefusedNamingTheOptionAndTheMemoryItNeeds()
    {
        // 256 blocks of width 16,384: 4.1·10^11 parameters, inside every range, nowhere near any machine's memory.
        var huge = new RunOptions { Layers = RunLimits.MaxLayers, Dim = RunLimits.MaxDim, Heads = 1, Threads = 1 };
        Assert.Empty(huge.Validate(1_000));
        var problem = MemoryEstimate.Problem(huge, 1_000, availableBytes: 64L << 30);
        Assert.NotNull(problem);
        Assert.StartsWith("Dim 16384 with Layers 256 is too large", problem, StringComparison.Ordinal);
        Assert.Contains("412,376,072,192 parameters", problem, StringComparison.Ordinal); // the parameter count
        Assert.Contains("a .NET array holds", problem, StringComparison.Ordinal); // one array cannot hold them
    }

    [Fact]
    public void ARunOverTheAvailableMemorySaysHowMuchItNeeds()
    {
        var wide = new RunOptions { Layers = 24, Dim = 2048, Heads = 16, MaxLength = 200, BatchSize = 128, Threads = 2 };
        var estimate = MemoryEstimate.Of(wide, 50_000);
        Assert.Null(MemoryEstimate.Problem(wide, 50_000, availableBytes: (long)estimate.Total + 1));
        var problem = MemoryEstimate.Problem(wide, 50_000, availableBytes: (long)estimate.Total - 1);
        Assert.NotNull(problem);
        Assert.Contains($"needs about {MemoryEstimate.Bytes(estimate.Total)} of memory", problem, StringComparison.Ordinal);
        Assert.Contains("is available", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RunLimits.MaxWindow, 4_096, LossKind.Bce, "MaxLength 16384 with BatchSize 4096")]
    [InlineData(50, 65_536, LossKind.SampledSoftmax, "Sampled softmax negatives 100000 with BatchSize 65536")]
    public void OneBufferOverAnArraysLimitIsRefusedBeforeItOverflows(int maxLength, int batch, LossKind loss, string culprit)
    {
        var o = new RunOptions { MaxLength = maxLength, BatchSize = batch, Loss = loss, Negatives = RunLimits.MaxNegatives, Threads = 1 };
        Assert.Empty(o.Validate(1_000));
        var problem = MemoryEstimate.Problem(o, 1_000, availableBytes: long.MaxValue);
        Assert.NotNull(problem);
        Assert.StartsWith(culprit + " is too large", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultRunFitsInOneGigabyte() =>
        Assert.Null(MemoryEstimate.Problem(new RunOptions(), 25_000, availableBytes: 1L << 30));
}
