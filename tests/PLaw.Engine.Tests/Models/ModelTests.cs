using PLaw.Engine.Autograd;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Models;

public sealed class ModelTests
{
    public static TheoryData<ModelFamily, string> Families() => new()
    {
        { ModelFamily.Sasrec, Variants.PostLn },
        { ModelFamily.Sasrec, Variants.PreLn },
        { ModelFamily.Sasrec, Variants.Original },
        { ModelFamily.Sasrec, Variants.OriginalProj },
        { ModelFamily.Hstu, Variants.Reference },
        { ModelFamily.Hstu, Variants.PLaw },
        { ModelFamily.Llama, Variants.Standard },
    };

    /// <summary>Every HSTU ablation set a variant allows (P-Law has no relative bias to remove).</summary>
    public static TheoryData<string, string> Ablations() => new()
    {
        { Variants.Reference, "rab" }, { Variants.Reference, "silu" }, { Variants.Reference, "gate" }, { Variants.Reference, "rab,silu,gate" },
        { Variants.PLaw, "silu" }, { Variants.PLaw, "gate" }, { Variants.PLaw, "silu,gate" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void ParameterCountFormulaMatchesTheBuiltModel(ModelFamily family, string variant) => AssertCountsMatch(family, variant, null);

    [Theory]
    [MemberData(nameof(Ablations))]
    public void ParameterCountFormulaMatchesTheBuiltAblatedModel(string variant, string ablate) => AssertCountsMatch(ModelFamily.Hstu, variant, ablate);

    private static void AssertCountsMatch(ModelFamily family, string variant, string? ablate)
    {
        foreach (var (layers, dim, heads, length, items) in new[] { (2, 50, 1, 50, 23715), (3, 64, 4, 20, 100), (1, 8, 2, 5, 12), (4, 512, 8, 200, 3416) })
        {
            var o = new RunOptions { Model = family, Variant = variant, Ablate = ablate, Layers = layers, Dim = dim, Heads = heads, MaxLength = length };
            var model = ModelFactory.Create<float>(o, items);
            var formula = ParameterCount.Of(o, items);
            Assert.Equal(model.Layout.EmbeddingCount, formula.Embedding);
            Assert.Equal(model.Layout.NonEmbeddingCount, formula.NonEmbedding);
        }
    }

    [Fact]
    public void PublishedSizesFollowFromTheFormula()
    {
        // models.md §5: LLaMA block at d = 512 is 3,163,136 parameters (4d² + 3dm + 2d, m = 1376); PM-SASRec block 6d² + 10d.
        Assert.Equal(1376, ParameterCount.SwiGluHidden(512));
        var llama = ParameterCount.Of(new RunOptions { Model = ModelFamily.Llama, Layers = 1, Dim = 512, Heads = 8 }, 0);
        Assert.Equal(3_163_136 + 512, llama.NonEmbedding);
        var sasrec = ParameterCount.Of(new RunOptions(), 23715);
        Assert.Equal(2 * (6 * 50 * 50 + 10 * 50) + 100, sasrec.NonEmbedding);
        Assert.Equal(23716 * 50 + 51 * 50, sasrec.Embedding);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void WholeModelGradientMatchesFiniteDifferences(ModelFamily family, string variant) =>
        AssertGradientMatches(new RunOptions { Model = family, Variant = variant });

    [Theory]
    [MemberData(nameof(Ablations))]
    public void WholeAblatedModelGradientMatchesFiniteDifferences(string variant, string ablate) =>
        AssertGradientMatches(new RunOptions { Model = ModelFamily.Hstu, Variant = variant, Ablate = ablate });

    private static void AssertGradientMatches(RunOptions shape)
    {
        const int items = 12, length = 5;
        var family = shape.Model;
        var o = shape with { Layers = 2, Dim = 8, Heads = 2, MaxLength = length, Dropout = 0 };
        var model = ModelFactory.Create<double>(o, items);
        var check = new GradientCheck(model.Layout);
        model.Initialize(check.Store.Values, new Rng(3));
        // Move norms and biases off their initial 1/0 so their gradients are exercised in general position.
        var rng = new Rng(4);
        foreach (var s in model.Layout.Slots.Where(s => s.Rows == 1))
            for (var i = 0; i < s.Length; i++) check.Store.Values[s.Offset + i] += 0.3 * rng.NextGaussian();

        var batch = new SequenceBatch(length);
        batch.Reset(2, 1);
        batch.HasTimes = true;
        int[] inputs = [0, 0, 3, 7, 2, 4, 9, 1, 1, 5], targets = [0, 0, 7, 2, 11, 9, 1, 1, 5, 6], negatives = [0, 0, 1, 5, 6, 3, 2, 8, 12, 10];
        inputs.CopyTo(batch.Inputs, 0);
        targets.CopyTo(batch.Targets, 0);
        negatives.CopyTo(batch.Negatives, 0);
        for (var r = 0; r < 10; r++)
        {
            batch.InputTimes[r] = 1000 + r * r * 50;
            batch.TargetTimes[r] = 1000 + (r + 1) * (r + 1) * 50;
        }
        var e = model.ItemEmbedding;
        // Row 0 of the item table is padding: read by some families, never updated (padding_idx), so it is skipped.
        bool Skip(int i) => (i >= e.Offset && i < e.Offset + e.Cols) ||
                            model.Layout.Slots.Any(s => s.Name == "pos_emb" && family == ModelFamily.Sasrec && i >= s.Offset && i < s.Offset + s.Cols);
        var error = check.Loss(g =>
        {
            model.Attach(g);
            var h = model.Forward(batch);
            return new LossHead<double>(o, g, e).Forward(h, batch, 1.0 / 8);
        }, Skip);
        Assert.True(error < 1e-6, $"max error {error}");
        Assert.Contains(check.AnalyticGradient, v => v != 0);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void EvaluationForwardIsDeterministicAndIgnoresDropout(ModelFamily family, string variant)
    {
        var o = new RunOptions { Model = family, Variant = variant, Layers = 1, Dim = 8, Heads = 2, MaxLength = 4, Dropout = 0.5 };
        var model = ModelFactory.Create<float>(o, 10);
        var store = new ParameterStore<float>(model.Layout);
        model.Initialize(store.Values, new Rng(1));
        var graph = new Graph<float>(store);
        model.Attach(graph);
        var batch = new SequenceBatch(4);
        batch.Reset(1, 0);
        new[] { 0, 3, 4, 5 }.CopyTo(batch.Inputs, 0);
        graph.Begin(training: false);
        var first = model.Forward(batch).Value.ToArray();
        graph.Rng.Reseed(99);
        graph.Begin(training: false);
        Assert.Equal(first, model.Forward(batch).Value.ToArray());
        Assert.All(first, v => Assert.True(float.IsFinite(v)));
    }
}
