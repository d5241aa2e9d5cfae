using PLaw.Engine.Autograd;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Torch.Tests.Parity;
using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>
/// <see cref="TorchLossHead"/> against the native <see cref="LossHead{T}"/> in float64, on the hidden states of a torch
/// SASRec and its item table: the scaled loss (≤ 1e-9 relative) and the gradients of the hidden states and of the item
/// table (≤ 1e-7 relative by norm). The batch has pads (no target), and sampled negatives that collide with the target.
/// </summary>
public sealed class LossHeadParityTests
{
    private const int Items = 20, Length = 6, Count = 3, Dim = 8;

    private static SequenceBatch Batch(int negatives)
    {
        var rng = new Rng(11);
        var batch = new SequenceBatch(Length);
        batch.Reset(Count, negatives);
        for (var b = 0; b < Count; b++)
            for (var t = b == 0 ? Length / 2 : 0; t < Length; t++)
            {
                var r = b * Length + t;
                batch.Inputs[r] = 1 + rng.NextInt(Items);
                batch.Targets[r] = 1 + rng.NextInt(Items);
                for (var k = 0; k < negatives; k++)
                    // Every third row's second negative is its target: a collision the loss must mask.
                    batch.Negatives[r * negatives + k] = k == 1 && r % 3 == 0 ? batch.Targets[r] : 1 + rng.NextInt(Items);
            }
        return batch;
    }

    public static TheoryData<LossKind, int> Losses() => new() { { LossKind.Bce, 1 }, { LossKind.SampledSoftmax, 7 }, { LossKind.FullSoftmax, 0 } };

    [Theory]
    [MemberData(nameof(Losses))]
    public void LossAndGradientsMatchTheNativeHead(LossKind loss, int negatives)
    {
        var options = new RunOptions { Loss = loss, Negatives = Math.Max(negatives, 1), Temperature = 0.2, Layers = 1, Dim = Dim, Heads = 2, MaxLength = Length, Dropout = 0 };
        var batch = Batch(negatives);
        var scale = 1.0 / batch.TargetCount();
        using var scope = NewDisposeScope();

        // Hidden states from a torch SASRec with the native initial weights, then a leaf for the head alone.
        using var model = TorchModelFactory.Create(options, Items, CPU, ScalarType.Float64);
        model.Initialize(new Rng(5));
        using var tb = new TorchBatch(batch, CPU);
        Tensor hidden;
        using (no_grad()) hidden = model.Forward(tb, training: false).clone();
        var table = model.ItemEmbedding().detach().clone();
        var h = hidden.requires_grad_(true);
        var e = table.requires_grad_(true);
        var torchLoss = new TorchLossHead(options).Forward(h, e, tb, scale);
        torchLoss.backward();
        var torchDh = h.grad!.data<double>().ToArray();
        var torchDe = e.grad!.data<double>().ToArray();

        // The native head on the same values.
        var layout = new ParameterLayout();
        var items = layout.Add("item_emb", Items + 1, Dim, isEmbedding: true);
        var store = new ParameterStore<double>(layout);
        table.data<double>().ToArray().CopyTo(store.Values, 0);
        var graph = new Graph<double>(store);
        graph.Begin(training: true);
        var nh = graph.Arena.Zeros(batch.Rows, Dim, true);
        hidden.data<double>().ToArray().CopyTo(nh.Value);
        var nativeLoss = new LossHead<double>(options, graph, items).Forward(nh, batch, scale);
        graph.Tape.Backward();

        Assert.True(nativeLoss > 0);
        var lossError = Math.Abs(torchLoss.item<double>() - nativeLoss) / Math.Abs(nativeLoss);
        Assert.True(lossError <= ForwardParity.ValueTolerance, $"{loss}: loss {torchLoss.item<double>():R} vs native {nativeLoss:R} ({lossError:E2})");
        var dh = ForwardParity.RelativeError(nh.Gradient, torchDh);
        var de = ForwardParity.RelativeError(graph.Grads, torchDe);
        Assert.True(dh <= ForwardParity.GradientTolerance, $"{loss}: hidden-state gradient error {dh:E2}");
        Assert.True(de <= ForwardParity.GradientTolerance, $"{loss}: item-table gradient error {de:E2}");
        Assert.True(nh.Gradient.ContainsAnyExcept(0.0) && graph.Grads.AsSpan().ContainsAnyExcept(0.0), "the native gradients are zero");
    }
}
