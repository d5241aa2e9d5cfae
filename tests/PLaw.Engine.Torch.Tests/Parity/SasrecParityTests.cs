using PLaw.Engine.Training;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>TorchSasrec against the native Sasrec: hidden states and every parameter's gradient, all four layouts.</summary>
public sealed class SasrecParityTests
{
    private const int Items = 20;

    public static TheoryData<string, int, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (var layout in new[] { Variants.PostLn, Variants.PreLn, Variants.Original, Variants.OriginalProj })
        {
            data.Add(layout, 1, 1, 8, 5);
            data.Add(layout, 2, 2, 16, 8);
            data.Add(layout, 2, 1, 12, 7);
        }
        return data;
    }

    private static RunOptions Options(string layout, int layers, int heads, int dim, int length) => new()
    {
        Model = ModelFamily.Sasrec,
        Variant = layout,
        Layers = layers,
        Heads = heads,
        Dim = dim,
        MaxLength = length,
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HiddenStatesAndGradientsMatchTheNativeModel(string layout, int layers, int heads, int dim, int length)
    {
        var result = ForwardParity.Run(Options(layout, layers, heads, dim, length), Items, ForwardParity.Batch(length, Items, times: false));

        Assert.True(result.HiddenError <= 1e-9, $"hidden error {result.HiddenError:E2}");
        var (error, name) = result.WorstGradient();
        Assert.True(error <= 1e-7, $"gradient error {error:E2} in {name}");
        foreach (var s in result.Layout.Slots)
            Assert.True(result.TorchGradient.AsSpan(s.Offset, s.Length).ContainsAnyExcept(0.0), $"{s.Name} has a zero gradient");
    }
}
