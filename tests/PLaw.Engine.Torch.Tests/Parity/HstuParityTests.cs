using PLaw.Engine.Kernels;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Training;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>
/// TorchHstuReference and TorchHstuPLaw against the native HstuReference / HstuPLaw in float64: hidden states and every
/// parameter's gradient of Σ r·h, on left-padded windows with and without timestamps (the reference's time bias), full
/// and with each ablation (--ablate rab, silu, gate).
/// </summary>
public sealed class HstuParityTests
{
    private const int Items = 20;

    public static TheoryData<string, int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<string, int, int, int, int, bool>();
        (int Layers, int Heads, int Dim, int Length)[] shapes = [(1, 1, 8, 5), (2, 2, 8, 6), (1, 2, 12, 7), (2, 2, 16, 8)];
        foreach (var variant in new[] { Variants.Reference, Variants.PLaw })
        foreach (var (layers, heads, dim, length) in shapes)
        foreach (var times in new[] { true, false })
            data.Add(variant, layers, heads, dim, length, times);
        return data;
    }

    private static RunOptions Options(string variant, int layers, int heads, int dim, int length) =>
        new() { Model = ModelFamily.Hstu, Variant = variant, Layers = layers, Dim = dim, Heads = heads, MaxLength = length };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HiddenStatesAndGradientsMatchTheNativeModel(string variant, int layers, int heads, int dim, int length, bool times)
    {
        var result = ForwardParity.Run(Options(variant, layers, heads, dim, length), Items, ForwardParity.Batch(length, Items, times));
        // Row 0 of the item table is padding: read (P-Law's pads see E[0]) but never updated.
        ForwardParity.AssertMatches(result, paddingRowStill: true);
    }

    /// <summary>Every ablation set a variant allows, with and without timestamps.</summary>
    public static TheoryData<string, string, bool> Ablations()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var ablate in new[] { "rab", "silu", "gate", "rab,silu", "rab,silu,gate" })
        foreach (var times in new[] { true, false })
            data.Add(Variants.Reference, ablate, times);
        foreach (var ablate in new[] { "silu", "gate", "silu,gate" }) data.Add(Variants.PLaw, ablate, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ablations))]
    public void AblatedHiddenStatesAndGradientsMatchTheNativeModel(string variant, string ablate, bool times)
    {
        var options = Options(variant, 2, 2, 8, 6) with { Ablate = ablate };
        var result = ForwardParity.Run(options, Items, ForwardParity.Batch(6, Items, times));
        if (!times && ablate == "silu")
        {
            // Without timestamps every cell takes w_ts[0]: a shift of each softmax row, so its true gradient is 0 and both
            // sides hold rounding noise, whose relative error means nothing. Both must be that small; the rest must match.
            foreach (var s in result.Layout.Slots.Where(s => s.Name.EndsWith("rab.w_ts", StringComparison.Ordinal)))
            {
                Assert.All(result.NativeGradient.AsSpan(s.Offset, s.Length).ToArray().Concat(result.TorchGradient.AsSpan(s.Offset, s.Length).ToArray()),
                    g => Assert.True(Math.Abs(g) < 1e-12, $"{s.Name} gradient {g:E2}"));
                Array.Clear(result.NativeGradient, s.Offset, s.Length);
                Array.Clear(result.TorchGradient, s.Offset, s.Length);
            }
            ForwardParity.AssertMatches(result, everyGradientLive: false, paddingRowStill: true);
            return;
        }
        ForwardParity.AssertMatches(result, paddingRowStill: true);
    }

    [Theory]
    [InlineData(Variants.Reference, "silu", true)]
    [InlineData(Variants.Reference, "rab,silu,gate", false)]
    [InlineData(Variants.PLaw, "silu,gate", false)]
    public void AblatedWindowOfOnlyPadsMatches(string variant, string ablate, bool times)
    {
        // The softmax over a reference pad query has no live key: it must stay finite (0 output, no NaN gradient).
        const int length = 6;
        var batch = ForwardParity.Batch(length, Items, times);
        for (var t = 0; t < length; t++) batch.Inputs[t] = batch.Targets[t] = batch.Negatives[t] = 0;
        var result = ForwardParity.Run(Options(variant, 2, 2, 8, length) with { Ablate = ablate }, Items, batch);
        Assert.All(result.TorchGradient, g => Assert.True(double.IsFinite(g)));
        ForwardParity.AssertMatches(result, everyGradientLive: false);
    }

    [Theory]
    [InlineData(Variants.Reference, true)]
    [InlineData(Variants.Reference, false)]
    [InlineData(Variants.PLaw, false)]
    public void AWindowOfOnlyPadsMatches(string variant, bool times)
    {
        // Window 0 has no real item: the reference masks every key of it (A = 0, LN₀ of a zero row), P-Law attends to E[0].
        const int length = 6;
        var batch = ForwardParity.Batch(length, Items, times);
        for (var t = 0; t < length; t++) batch.Inputs[t] = batch.Targets[t] = batch.Negatives[t] = 0;
        ForwardParity.AssertMatches(ForwardParity.Run(Options(variant, 2, 2, 8, length), Items, batch), everyGradientLive: false);
    }

    [Theory]
    [InlineData(Variants.Reference)]
    [InlineData(Variants.PLaw)]
    public void DropoutActsOnlyInTraining(string variant)
    {
        // Dropout 0.5 everywhere: evaluation matches the native evaluation forward, training draws masks.
        const int length = 6;
        var options = Options(variant, 2, 2, 8, length) with { Dropout = 0.5 };
        using var scope = NewDisposeScope();
        using var twins = ForwardParity.NativeAndTorch(options, Items, ForwardParity.Batch(length, Items, times: true));
        var evaluation = twins.Model.Forward(twins.Batch, training: false).detach().data<double>().ToArray();
        var training = twins.Model.Forward(twins.Batch, training: true).detach().data<double>().ToArray();

        var error = ForwardParity.RelativeError(twins.NativeHidden, evaluation);
        Assert.True(error <= ForwardParity.ValueTolerance, $"evaluation error {error:E2}");
        Assert.True(ForwardParity.RelativeError(evaluation, training) > 1e-3, "training ran without dropout");
    }

    [Theory]
    [InlineData(Variants.Reference, null)]
    [InlineData(Variants.PLaw, null)]
    [InlineData(Variants.Reference, "rab,silu,gate")]
    [InlineData(Variants.PLaw, "silu,gate")]
    public void Float32RunsCloseToTheFloat64NativeModel(string variant, string? ablate)
    {
        // The training precision: tables (RoPE, masks, buckets) follow the model's dtype; buckets stay exact.
        const int length = 7;
        var options = Options(variant, 2, 2, 8, length) with { Dropout = 0, Ablate = ablate };
        using var scope = NewDisposeScope();
        using var twins = ForwardParity.NativeAndTorch(options, Items, ForwardParity.Batch(length, Items, times: true), dtype: ScalarType.Float32);
        var hidden = twins.Model.Forward(twins.Batch, training: false);
        Assert.Equal(ScalarType.Float32, hidden.dtype);
        var error = ForwardParity.RelativeError(twins.NativeHidden, hidden.detach().to(ScalarType.Float64).data<double>().ToArray());
        Assert.True(error <= 1e-5, $"float32 error {error:E2}");
    }

    [Fact]
    public void TimeBucketsMatchTheNativeBucketing()
    {
        // b(Δ) = clamp(⌊ln(max(|Δ|, 1))/0.301⌋, 0, 128): both signs, 0 and 1, and the integers around every bucket edge.
        var deltas = new List<long> { 0, 1, -1, 2, long.MaxValue / 2, -long.MaxValue / 2 };
        for (var k = 1; k <= 130; k++)
        {
            var edge = Math.Exp(0.301 * k);
            if (edge > 1e18) break;
            var e = (long)Math.Round(edge);
            for (var off = -2L; off <= 2; off++) deltas.AddRange([e + off, -(e + off)]);
        }
        using var scope = NewDisposeScope();
        var torchBuckets = HstuTimeBuckets.Of(tensor(deltas.ToArray())).data<long>().ToArray();
        var nativeBuckets = deltas.Select(HstuAttention<double>.Bucket).ToArray();

        Assert.Equal(nativeBuckets.Select(b => (long)b), torchBuckets);
        Assert.Equal(128, nativeBuckets.Max());
        Assert.Equal(0, nativeBuckets.Min());
    }
}
