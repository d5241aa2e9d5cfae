using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Training;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>
/// TorchSasrec against the native Sasrec (float64, CPU, dropout 0, the native weights): hidden states and every
/// parameter's gradient, for all four layouts, on ForwardParity's batch and on one with the padding edge cases.
/// </summary>
public sealed class SasrecParityTests
{
    private const int Items = 20;

    private static readonly string[] Layouts = [Variants.PostLn, Variants.PreLn, Variants.Original, Variants.OriginalProj];

    public static TheoryData<string, int, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (var layout in Layouts)
        {
            data.Add(layout, 1, 1, 8, 5);
            data.Add(layout, 2, 2, 16, 8);
            data.Add(layout, 2, 1, 12, 7);
        }
        return data;
    }

    public static TheoryData<string> AllLayouts() => new(Layouts);

    private static RunOptions Options(string layout, int layers, int heads, int dim, int length, double dropout = 0) => new()
    {
        Model = ModelFamily.Sasrec,
        Variant = layout,
        Layers = layers,
        Heads = heads,
        Dim = dim,
        MaxLength = length,
        Dropout = dropout,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HiddenStatesAndGradientsMatchTheNativeModel(string layout, int layers, int heads, int dim, int length) =>
        ForwardParity.AssertMatches(ForwardParity.Run(Options(layout, layers, heads, dim, length), Items, ForwardParity.Batch(length, Items, times: false)));

    /// <summary>A window of pads only (the PM layouts attend over the pads; Kang's has no live block and outputs zero
    /// until the final LN), a window with one item at L − 1 (one live key), and a full window.</summary>
    [Theory]
    [MemberData(nameof(AllLayouts))]
    public void PaddingEdgeCasesMatchTheNativeModel(string layout)
    {
        const int length = 6;
        var batch = new SequenceBatch(length);
        batch.Reset(3, 1);
        var rng = new Rng(11);
        foreach (var (b, first) in new[] { (0, length), (1, length - 1), (2, 0) })
            for (var t = first; t < length; t++)
            {
                var r = b * length + t;
                batch.Inputs[r] = 1 + rng.NextInt(Items);
                batch.Targets[r] = 1 + rng.NextInt(Items);
                batch.Negatives[r] = 1 + rng.NextInt(Items);
            }

        ForwardParity.AssertMatches(ForwardParity.Run(Options(layout, 2, 2, 8, length), Items, batch));
    }

    [Theory]
    [MemberData(nameof(AllLayouts))]
    public void DropoutActsInTrainingOnly(string layout)
    {
        const int length = 6;
        var batch = ForwardParity.Batch(length, Items, times: false);
        using var scope = NewDisposeScope();
        using var tb = new TorchBatch(batch, CPU);
        using var plain = TorchModelFactory.Create(Options(layout, 2, 2, 8, length), Items, CPU, ScalarType.Float64);
        using var dropped = TorchModelFactory.Create(Options(layout, 2, 2, 8, length, dropout: 0.5), Items, CPU, ScalarType.Float64);
        plain.Initialize(new Rng(3));
        dropped.Load(plain.ValuesAsDouble());
        manual_seed(5);

        var reference = plain.Forward(tb, training: true);
        Assert.True(dropped.Forward(tb, training: false).allclose(reference, rtol: 0, atol: 0), "eval mode changed the output");
        Assert.False(dropped.Forward(tb, training: true).allclose(reference, rtol: 0, atol: 1e-6), "training-mode dropout had no effect");
    }
}
