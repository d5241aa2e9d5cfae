using PLaw.Data.Sequences;
using Xunit.Abstractions;
using PLaw.Engine.Autograd;
using PLaw.Engine.Models;
using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Packing;

/// <summary>
/// Three epochs of float32 training on a real slice (ML-100K users with windows of 50, dropout on) give the same
/// per-epoch mean losses packed and padded: the step is the native session's (same streams for order, negatives and
/// dropout, Adam over the flat parameters), on one worker.
/// </summary>
public sealed class PackedTrainingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ModelFamily.Sasrec, Variants.Original, 0.3)]
    [InlineData(ModelFamily.Hstu, Variants.Reference, 0.3)]
    [InlineData(ModelFamily.Llama, Variants.Standard, 0)]
    [InlineData(ModelFamily.Hstu, Variants.PLaw, 0)]
    public void ThreeEpochsGiveTheSameLosses(ModelFamily family, string variant, double dropout)
    {
        var options = new RunOptions
        {
            Model = family, Variant = variant, Dim = 16, Heads = 2, Layers = 2, MaxLength = 50, Dropout = dropout, BatchSize = 32,
            Epochs = 3, Seed = 7,
        };
        var all = RealBatches.Load("ml100k");
        var data = RealBatches.Slice(all, 160);
        var padded = Train(options, data, packed: false);
        var packed = Train(options, data, packed: true);
        output.WriteLine($"padded {string.Join(" ", padded.Select(l => l.ToString("R")))}; packed {string.Join(" ", packed.Select(l => l.ToString("R")))}");
        for (var e = 0; e < 3; e++)
            Assert.True(Math.Abs(padded[e] - packed[e]) <= 1e-5 * Math.Abs(padded[e]), $"epoch {e + 1}: {packed[e]} vs {padded[e]}");
        Assert.True(padded[2] < padded[0], "the loss did not fall: nothing was trained");
    }

    private static double[] Train(RunOptions options, SequenceSet data, bool packed)
    {
        var split = new LeaveOneOutSplit(data);
        var model = ModelFactory.Create<float>(options, data.ItemCount);
        var store = new ParameterStore<float>(model.Layout);
        model.Initialize(store.Values, Rng.For((ulong)options.Seed, TrainingStreams.Init));
        var graph = new Graph<float>(store);
        model.Attach(graph);
        var head = new LossHead<float>(options, graph, model.ItemEmbedding);
        graph.PackedHidden = packed;
        var optimizer = new Optimizer(options, model.Layout);
        var sampler = new BatchSampler(split, options.MaxLength);
        var batch = new SequenceBatch(options.MaxLength);
        var users = TrainingStreams.TrainUsers(split, options);
        var order = new int[users.Length];
        var losses = new double[options.Epochs];
        var rng = new Rng(0);
        long step = 0;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            TrainingStreams.Shuffle(options.Seed, epoch, users, order);
            var sum = 0.0;
            var steps = 0;
            for (var from = 0; from < order.Length; from += options.BatchSize, steps++)
            {
                step++;
                rng.Reseed(TrainingStreams.StepSeed(options.Seed, TrainingStreams.Negatives, step, 0));
                sampler.FillTraining(batch, order.AsSpan(from, Math.Min(options.BatchSize, order.Length - from)),
                    LossHead<float>.NegativesFor(options), LossHead<float>.ExcludesHistory(options), rng);
                graph.Begin(training: true);
                graph.Rng.Reseed(TrainingStreams.StepSeed(options.Seed, TrainingStreams.Dropout, step, 0));
                var h = model.Forward(batch);
                Assert.Equal(packed, h.Rows < batch.Rows);
                sum += head.Forward(h, batch, 1.0 / batch.TargetCount());
                graph.Tape.Backward();
                optimizer.Steps++;
                optimizer.Step(store.Values, graph.Grads, options.LearningRate, 0, store.Values.Length);
                Array.Clear(graph.Grads);
            }
            losses[epoch - 1] = sum / steps;
        }
        return losses;
    }
}
