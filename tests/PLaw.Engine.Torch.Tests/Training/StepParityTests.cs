using PLaw.Data.Sequences;
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
/// One whole training step of every model variant on both backends in float64 (dropout 0, the native initial weights, a batch from the
/// native sampler): the loss to 1e-9 relative, every parameter's gradient to 1e-7 relative by norm, and after one AdamW
/// step (with decay and clipping) on each side's gradients, the weights still agree.
/// </summary>
public sealed class StepParityTests
{
    // Every family and variant, each loss at least twice.
    public static TheoryData<ModelFamily, string, LossKind> Cases() => new()
    {
        { ModelFamily.Sasrec, Variants.PostLn, LossKind.Bce },
        { ModelFamily.Sasrec, Variants.Original, LossKind.SampledSoftmax },
        { ModelFamily.Sasrec, Variants.PreLn, LossKind.FullSoftmax },
        { ModelFamily.Sasrec, Variants.OriginalProj, LossKind.Bce },
        { ModelFamily.Hstu, Variants.Reference, LossKind.SampledSoftmax },
        { ModelFamily.Hstu, Variants.PLaw, LossKind.Bce },
        { ModelFamily.Llama, Variants.Standard, LossKind.FullSoftmax },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossGradientsAndUpdatedWeightsMatch(ModelFamily family, string variant, LossKind loss) => AssertStepMatches(family, variant, loss, null);

    // The HSTU ablations (--ablate) train alike on both backends too. (These batches have no timestamps: under softmax
    // attention w_ts[0] would only shift each row, its gradient 0 up to rounding, so softmax cases here drop rab.)
    [Theory]
    [InlineData(Variants.Reference, "rab,silu,gate", LossKind.SampledSoftmax)]
    [InlineData(Variants.Reference, "rab,silu", LossKind.Bce)]
    [InlineData(Variants.PLaw, "silu,gate", LossKind.Bce)]
    public void AblatedLossGradientsAndUpdatedWeightsMatch(string variant, string ablate, LossKind loss) =>
        AssertStepMatches(ModelFamily.Hstu, variant, loss, ablate);

    private static void AssertStepMatches(ModelFamily family, string variant, LossKind loss, string? ablate)
    {
        var data = TrainingData.Walks();
        var options = new RunOptions
        {
            Model = family, Variant = variant, Ablate = ablate, Loss = loss, Negatives = 9, Temperature = 0.1, Layers = 2, Dim = 16, Heads = 2, MaxLength = 8, Dropout = 0,
            BatchSize = 6, Optimizer = OptimizerKind.AdamW, WeightDecay = 0.1, ClipNorm = 0.5, LearningRate = 0.01,
        };
        var split = new LeaveOneOutSplit(data);
        var batch = new SequenceBatch(options.MaxLength);
        new BatchSampler(split, options.MaxLength).FillTraining(batch, [3, 8, 15, 16, 23, 42 % data.UserCount],
            LossHead<double>.NegativesFor(options), LossHead<double>.ExcludesHistory(options), new Rng(9));
        var scale = 1.0 / batch.TargetCount();

        // Native, float64.
        var native = ModelFactory.Create<double>(options, data.ItemCount);
        var store = new ParameterStore<double>(native.Layout);
        native.Initialize(store.Values, Rng.For((ulong)options.Seed, TrainingStreams.Init));
        var initial = (double[])store.Values.Clone();
        var graph = new Graph<double>(store);
        native.Attach(graph);
        graph.Begin(training: true);
        var nativeLoss = new LossHead<double>(options, graph, native.ItemEmbedding).Forward(native.Forward(batch), batch, scale);
        graph.Tape.Backward();

        // Torch, float64, same weights and batch.
        using var scope = NewDisposeScope();
        using var model = TorchModelFactory.Create(options, data.ItemCount, CPU, ScalarType.Float64);
        model.Load(initial);
        using var tb = new TorchBatch(batch, CPU);
        var torchLoss = new TorchLossHead(options).Forward(model.Forward(tb, training: true), model.ItemEmbedding(), tb, scale);
        torchLoss.backward();
        var torchGradient = model.Flat.grad!.data<double>().ToArray();

        var lossError = Math.Abs(torchLoss.item<double>() - nativeLoss) / Math.Abs(nativeLoss);
        Assert.True(lossError <= ForwardParity.ValueTolerance, $"loss {torchLoss.item<double>():R} vs native {nativeLoss:R} ({lossError:E2})");
        foreach (var s in native.Layout.Slots)
        {
            var e = ForwardParity.RelativeError(graph.Grads.AsSpan(s.Offset, s.Length), torchGradient.AsSpan(s.Offset, s.Length));
            Assert.True(e <= ForwardParity.GradientTolerance, $"gradient of {s.Name}: {e:E2}");
        }

        // One AdamW step with decay and clipping from each side's gradients.
        double[] Stepped(double[] gradient)
        {
            var w = tensor(initial, ScalarType.Float64);
            using var optimizer = new TorchOptimizer(options, native.Layout, w);
            var g = tensor(gradient, ScalarType.Float64);
            TorchOptimizer.Clip(g, options.ClipNorm!.Value);
            optimizer.Steps++;
            optimizer.Step(w, g, options.LearningRate);
            return w.data<double>().ToArray();
        }
        var fromNative = Stepped(graph.Grads);
        var fromTorch = Stepped(torchGradient);
        var weightError = ForwardParity.RelativeError(fromNative, fromTorch);
        Assert.True(weightError <= ForwardParity.ValueTolerance, $"weights after one step differ by {weightError:E2}");
        Assert.True(ForwardParity.RelativeError(initial, fromTorch) > 1e-4, "the step did not move the weights");
    }
}
