using PLaw.Engine.Autograd;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>The parity bar every model family is held to, and the native reference the dropout and precision tests use.</summary>
public static partial class ForwardParity
{
    /// <summary>Hidden states, a step's loss and the weights after an optimiser step agree to this relative error (by norm).</summary>
    public const double ValueTolerance = 1e-9;

    /// <summary>Every parameter's gradient agrees to this relative error (by norm).</summary>
    public const double GradientTolerance = 1e-7;

    /// <summary>
    /// The hidden states and every parameter's gradient match (<see cref="ValueTolerance"/>, <see cref="GradientTolerance"/>);
    /// with <paramref name="everyGradientLive"/>, every parameter got a gradient; with <paramref name="paddingRowStill"/>,
    /// row 0 of the item table (padding, read by the pads) got none.
    /// </summary>
    public static void AssertMatches(Result result, bool everyGradientLive = true, bool paddingRowStill = false, ITestOutputHelper? output = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (error, name) = result.WorstGradient();
        output?.WriteLine($"hidden error {result.HiddenError:E2}, worst gradient error {error:E2} ({name})");
        Assert.True(result.HiddenError <= ValueTolerance, $"hidden error {result.HiddenError:E2}");
        Assert.True(error <= GradientTolerance, $"gradient error {error:E2} in {name}");
        if (everyGradientLive)
            foreach (var s in result.Layout.Slots)
                Assert.True(result.TorchGradient.AsSpan(s.Offset, s.Length).ContainsAnyExcept(0.0), $"{s.Name} has no gradient");
        if (paddingRowStill)
        {
            var e = result.Layout.Slots.Single(s => s.Name == "item_emb");
            Assert.False(result.TorchGradient.AsSpan(e.Offset, e.Cols).ContainsAnyExcept(0.0), "E[0] got a gradient");
        }
    }

    /// <summary>
    /// The native float64 model's hidden states on <paramref name="batch"/> (initial weights from Rng(3), dropout as the
    /// options say, in training or evaluation mode), and a torch model of <paramref name="dtype"/> loaded with the same
    /// weights, with the batch as tensors. Dispose it inside a dispose scope.
    /// </summary>
    public static Twins NativeAndTorch(RunOptions options, int itemCount, SequenceBatch batch, bool nativeTraining = false,
        ScalarType dtype = ScalarType.Float64)
    {
        var native = ModelFactory.Create<double>(options, itemCount);
        var store = new ParameterStore<double>(native.Layout);
        native.Initialize(store.Values, new Rng(3));
        var graph = new Graph<double>(store);
        native.Attach(graph);
        graph.Begin(nativeTraining);
        var nativeHidden = native.Forward(batch).Value.ToArray();
        var model = TorchModelFactory.Create(options, itemCount, CPU, dtype);
        model.Load(store.Values);
        return new Twins(nativeHidden, model, new TorchBatch(batch, CPU));
    }

    public sealed record Twins(double[] NativeHidden, TorchSequenceModel Model, TorchBatch Batch) : IDisposable
    {
        public void Dispose()
        {
            Batch.Dispose();
            Model.Dispose();
        }
    }
}
