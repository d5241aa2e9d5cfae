using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Evaluation;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Packing;

/// <summary>
/// Scoring from packed rows gives the metrics of the padded rows: the same weights, every scored user of a real slice
/// (ML-100K, windows of 50 partly padded, timestamps for HSTU), both splits, full ranking and 100 sampled negatives, two
/// workers. LLaMA and HSTU P-Law have dropout here: scoring draws none, so their shared pads are exact there too.
/// </summary>
public sealed class PackedEvaluationTests
{
    private static readonly (ModelFamily Family, string Variant)[] Packable =
        [(ModelFamily.Sasrec, Variants.Original), (ModelFamily.Hstu, Variants.Reference), (ModelFamily.Llama, Variants.Standard), (ModelFamily.Hstu, Variants.PLaw)];

    public static TheoryData<ModelFamily, string> Families()
    {
        var data = new TheoryData<ModelFamily, string>();
        foreach (var (family, variant) in Packable) data.Add(family, variant);
        return data;
    }

    public static TheoryData<ModelFamily, string, EvalProtocol> Models()
    {
        var data = new TheoryData<ModelFamily, string, EvalProtocol>();
        foreach (var (family, variant) in Packable)
            foreach (var protocol in new[] { EvalProtocol.Full, EvalProtocol.Sampled100 }) data.Add(family, variant, protocol);
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void PackedAndPaddedRowsScoreAlike(ModelFamily family, string variant, EvalProtocol protocol)
    {
        var options = new RunOptions
        {
            Model = family, Variant = variant, Dim = 16, Heads = 2, Layers = 2, MaxLength = 50, Dropout = 0.3, Seed = 7,
            Eval = protocol, EvalUsers = 0,
        };
        var split = new LeaveOneOutSplit(RealBatches.Slice(RealBatches.Load("ml100k"), 160));
        foreach (var test in new[] { false, true })
        {
            var padded = Evaluate(options, split, packed: false, test);
            var packed = Evaluate(options, split, packed: true, test);
            Assert.Equal(padded.Keys.Order(), packed.Keys.Order());
            foreach (var (name, value) in padded)
                Assert.True(Math.Abs(value - packed[name]) <= 1e-5 * Math.Max(1, Math.Abs(value)), $"{name} ({(test ? "test" : "valid")}): packed {packed[name]} vs padded {value}");
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ScoringRunsOnThePackedRows(ModelFamily family, string variant)
    {
        var options = new RunOptions { Model = family, Variant = variant, Dim = 16, Heads = 2, Layers = 2, MaxLength = 50, Dropout = 0.3 };
        var split = new LeaveOneOutSplit(RealBatches.Slice(RealBatches.Load("ml100k"), 40));
        var (model, graph) = Build(options, split, packed: true);
        var batch = new SequenceBatch(options.MaxLength);
        batch.Reset(40, 0);
        batch.HasTimes = true;
        var sampler = new BatchSampler(split, options.MaxLength);
        for (var u = 0; u < 40; u++)
        {
            var history = split.TrainAndValidation(u);
            var times = split.Sequences.Times(u);
            sampler.FillInput(batch, u, history, times[..history.Length], times[history.Length]);
        }
        graph.Begin(training: false);
        var h = model.Forward(batch);
        Assert.NotNull(batch.Packed);
        Assert.True(h.Rows < batch.Rows, $"{h.Rows} hidden rows for {batch.Rows} padded ones: scoring ran on the padded rows");
    }

    private static Dictionary<string, double> Evaluate(RunOptions options, LeaveOneOutSplit split, bool packed, bool test)
    {
        const int workers = 2;
        var built = Enumerable.Range(0, workers).Select(_ => Build(options, split, packed)).ToArray();
        using var pool = new WorkerPool(workers);
        return new Evaluator(options, split, [.. built.Select(b => b.Model)], [.. built.Select(b => b.Graph)], pool).Evaluate(test, epoch: 1);
    }

    private static (ISequenceModel<float> Model, Graph<float> Graph) Build(RunOptions options, LeaveOneOutSplit split, bool packed)
    {
        var model = ModelFactory.Create<float>(options, split.Sequences.ItemCount);
        var store = new ParameterStore<float>(model.Layout);
        model.Initialize(store.Values, Rng.For((ulong)options.Seed, TrainingStreams.Init));
        var graph = new Graph<float>(store) { PackedHidden = packed };
        model.Attach(graph);
        return (model, graph);
    }
}
