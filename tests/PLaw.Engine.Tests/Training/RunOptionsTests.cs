using System.Text.Json;
using System.Text.Json.Serialization;
using PLaw.Engine.Optim;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

public sealed class RunOptionsTests
{
    [Fact]
    public void DefaultsAreThePmixerAmazonRecipeAndValid()
    {
        var o = new RunOptions();
        Assert.Equal("sasrec-l2-d50-h1-len50-bce-fp32-s42", o.DisplayName);
        Assert.Empty(o.Validate(23715));
        Assert.Equal((2, 50, 1, 50, 0.5, 128), (o.Layers, o.Dim, o.Heads, o.MaxLength, o.Dropout, o.BatchSize));
        Assert.Equal((0.001, 0.9, 0.98), (o.LearningRate, o.Beta1, o.Beta2));
    }

    [Fact]
    public void ValidateExplainsEachProblem()
    {
        var llama = new RunOptions { Model = ModelFamily.Llama, Dim = 50, Heads = 4 };
        Assert.Contains(llama.Validate(), p => p.Contains("LLaMA needs an even head size for rotary embeddings: dim 50 / heads 4", StringComparison.Ordinal));
        Assert.Empty(new RunOptions { Model = ModelFamily.Llama, Dim = 50, Heads = 1 }.Validate()); // head size 50 is even
        Assert.Contains(new RunOptions { Model = ModelFamily.Llama, Dim = 50, Heads = 2 }.Validate(), p => p.Contains("even head size", StringComparison.Ordinal));
        Assert.Contains(new RunOptions { Variant = "Reference" }.Validate(), p => p.Contains("no variant 'Reference'", StringComparison.Ordinal));
        Assert.Contains(new RunOptions { LayerDropout = [0.1] }.Validate(), p => p.Contains("1 rates for 2 layers", StringComparison.Ordinal));
        Assert.Contains(new RunOptions { Dropout = 1 }.Validate(), p => p.Contains("Dropout", StringComparison.Ordinal));
        Assert.Contains(new RunOptions { Optimizer = OptimizerKind.Sgd, SwitchToSgdEpoch = 3 }.Validate(), p => p.Contains("switch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void DisplayNameNamesNonDefaultVariantsLossAndPrecision()
    {
        var o = new RunOptions { Model = ModelFamily.Hstu, Variant = Variants.PLaw, Loss = LossKind.SampledSoftmax, Negatives = 128, Precision = Precision.Bf16, Seed = 3 };
        Assert.Equal("hstu-plaw-l2-d50-h1-len50-ssm128-bf16-s3", o.DisplayName);
    }

    [Fact]
    public void RoundTripsThroughJsonWithStringEnums()
    {
        var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
        var o = new RunOptions { Model = ModelFamily.Llama, Heads = 5, LayerDropout = [0.3, 0.1], ClipNorm = 1, Eval = EvalProtocol.Full };
        var text = JsonSerializer.Serialize(o, json);
        Assert.Contains("\"Llama\"", text, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<RunOptions>(text, json)!;
        Assert.Equal(o.DisplayName, back.DisplayName);
        Assert.Equal(o.LayerDropout, back.LayerDropout);
        Assert.Equal(o with { LayerDropout = back.LayerDropout }, back);
    }

    [Fact]
    public void LayerDropoutOverridesPerLayer()
    {
        var o = new RunOptions { Layers = 3, LayerDropout = [0.5, 0.3, 0.1] };
        Assert.Equal([0.5, 0.3, 0.1], Enumerable.Range(0, 3).Select(o.DropoutOf));
        Assert.Equal(0.2, new RunOptions { Dropout = 0.2 }.DropoutOf(1));
    }

    [Fact]
    public void LearningRateWarmsUpLinearlyThenDecaysByCosine()
    {
        Assert.Equal(0.25, LearningRate.At(1, 1, 4, false, 0, 100));
        Assert.Equal(1, LearningRate.At(4, 1, 4, false, 0, 100));
        Assert.Equal(1, LearningRate.At(50, 1, 4, false, 0, 100));
        Assert.Equal(0.55, LearningRate.At(52, 1, 4, true, 0.1, 100), 12); // halfway: min + (peak − min)/2
        Assert.Equal(0.1, LearningRate.At(100, 1, 4, true, 0.1, 100), 12);
    }
}
