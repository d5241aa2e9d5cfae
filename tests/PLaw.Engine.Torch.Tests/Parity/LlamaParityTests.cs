using PLaw.Engine.Training;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>TorchLlama against the native LLaMA decoder (models.md §4) in float64 on CPU.</summary>
public sealed class LlamaParityTests(ITestOutputHelper output)
{
    private const int Items = 20;

    private static RunOptions Options(int layers, int heads, int dim, int length, double dropout = 0) => new()
    {
        Model = ModelFamily.Llama, Variant = Variants.Standard, Layers = layers, Heads = heads, Dim = dim, MaxLength = length,
        Dropout = dropout,
    };

    [Theory]
    [InlineData(1, 1, 8, 5)]
    [InlineData(2, 2, 8, 6)]
    [InlineData(1, 2, 16, 8)]
    [InlineData(2, 1, 12, 7)]
    [InlineData(2, 2, 12, 8)]
    public void HiddenStatesAndGradientsMatchNative(int layers, int heads, int dim, int length)
    {
        var options = Options(layers, heads, dim, length);
        Assert.Empty(options.Validate(Items));
        // Window 0 is half left padding (pads read E[0], RoPE counts them as positions), window 1 is full.
        var result = ForwardParity.Run(options, Items, ForwardParity.Batch(length, Items, times: false));
        // E[0] is read by the pads but is padding_idx: no gradient on either backend.
        ForwardParity.AssertMatches(result, paddingRowStill: true, output: output);
    }

    /// <summary>
    /// Dropout sites and their layer rates, through the one training forward whose masks are determined: at p = 1 − 1e-12
    /// everything is dropped (torch keeps an element with probability 1e-12; native's 16-bit threshold rounds to 65536).
    /// Rates [≈1, 0]: the input x⁰ and block 0 drop out, so every state is 0 (RMSNorm(0) = 0). Rates [0, ≈1]: block 1's
    /// attention and FFN branches drop out and it is the identity, so h = RMSNorm(block 0's output).
    /// </summary>
    [Theory]
    [InlineData(1 - 1e-12, 0.0)]
    [InlineData(0.0, 1 - 1e-12)]
    public void TrainingWithADropoutThatDropsEverythingMatchesNative(double lower, double upper)
    {
        const int length = 6;
        var options = Options(2, 2, 8, length) with { LayerDropout = [lower, upper] };
        Assert.Empty(options.Validate(Items));
        using var scope = NewDisposeScope();
        using var twins = ForwardParity.NativeAndTorch(options, Items, ForwardParity.Batch(length, Items, times: false), nativeTraining: true);
        Assert.Equal(lower > 0, !twins.NativeHidden.AsSpan().ContainsAnyExcept(0.0));
        using var _ = no_grad();
        var hidden = twins.Model.Forward(twins.Batch, training: true).contiguous().data<double>().ToArray();
        Assert.True(ForwardParity.RelativeError(twins.NativeHidden, hidden) <= ForwardParity.ValueTolerance, "training forward differs from native");
    }

    [Fact]
    public void EvaluationIgnoresDropoutAndTrainingAppliesIt()
    {
        const int length = 6;
        var options = Options(2, 2, 8, length, dropout: 0.5);
        using var scope = NewDisposeScope();
        using var twins = ForwardParity.NativeAndTorch(options, Items, ForwardParity.Batch(length, Items, times: false));
        using var _ = no_grad();
        double[] Hidden(bool training) => twins.Model.Forward(twins.Batch, training).contiguous().data<double>().ToArray();

        var eval = Hidden(training: false);
        Assert.True(ForwardParity.RelativeError(twins.NativeHidden, eval) <= ForwardParity.ValueTolerance, "evaluation forward differs from native");
        Assert.Equal(eval, Hidden(training: false));
        var first = Hidden(training: true);
        var second = Hidden(training: true);
        Assert.True(ForwardParity.RelativeError(eval, first) > 1e-3, "training forward did not drop anything");
        Assert.True(ForwardParity.RelativeError(first, second) > 1e-3, "two training forwards drew the same masks");
    }
}
