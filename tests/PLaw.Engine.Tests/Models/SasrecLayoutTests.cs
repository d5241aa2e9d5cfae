using PLaw.Engine.Models;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Models;

/// <summary>
/// SASRec's "original" is Kang's TensorFlow layout exactly: its multihead_attention has Q, K, V dense layers with
/// biases and no output projection. "original-proj" keeps the projection the layout had before (torch MHA's W_o + b_o).
/// </summary>
public sealed class SasrecLayoutTests
{
    private static readonly RunOptions Games = new() { Layers = 2, Dim = 50, Heads = 1, MaxLength = 50 };

    [Fact]
    public void OriginalHasKangsParametersCountedByHand()
    {
        // Per block at d = 50: attention LN γ, β 100; W_q 50·50 + b_q 50 = 2,550; W_kv 100·50 + b_kv 100 = 5,100;
        // FFN LN 100; conv1 2,550; conv2 2,550 → 12,950. Two blocks + final LN 100 = 26,000 non-embedding.
        // Embeddings: items (23,715 + 1)·50 + positions (50 + 1)·50 = 1,185,800 + 2,550.
        var o = Games with { Variant = Variants.Original };
        var model = ModelFactory.Create<float>(o, 23_715);
        Assert.Equal(26_000, model.Layout.NonEmbeddingCount);
        Assert.Equal(1_188_350, model.Layout.EmbeddingCount);
        Assert.Equal(new ParameterCounts(1_188_350, 26_000), ParameterCount.Of(o, 23_715));
        Assert.DoesNotContain(model.Layout.Slots, s => s.Name.Contains("out_proj", StringComparison.Ordinal));
        Assert.Equal(["attn_ln.gamma", "attn_ln.beta", "mha.q_proj_weight", "mha.q_proj_bias", "mha.kv_proj_weight", "mha.kv_proj_bias",
            "ffn_ln.gamma", "ffn_ln.beta", "ffn.conv1.weight", "ffn.conv1.bias", "ffn.conv2.weight", "ffn.conv2.bias"],
            model.Layout.Slots.Where(s => s.Name.StartsWith("blocks.0.", StringComparison.Ordinal)).Select(s => s.Name["blocks.0.".Length..]));
    }

    [Fact]
    public void OriginalProjAddsTheOutputProjectionAndEqualsTheFusedLayoutsInSize()
    {
        // + W_o 2,500 + b_o 50 per block: 2 × 2,550 = 5,100 more, 31,100 = the post-LN layout's 2·(6d² + 10d) + 2d.
        var o = Games with { Variant = Variants.OriginalProj };
        var model = ModelFactory.Create<float>(o, 23_715);
        Assert.Equal(31_100, model.Layout.NonEmbeddingCount);
        Assert.Equal(31_100, ParameterCount.Of(o, 23_715).NonEmbedding);
        Assert.Equal(ParameterCount.Of(Games, 23_715), ParameterCount.Of(o, 23_715));
        Assert.Equal(2, model.Layout.Slots.Count(s => s.Name.EndsWith("mha.out_proj.weight", StringComparison.Ordinal)));
    }

    [Fact]
    public void OriginalProjIsSelectableLikeTheOtherVariants()
    {
        Assert.Equal([Variants.PostLn, Variants.PreLn, Variants.Original, Variants.OriginalProj], Variants.For(ModelFamily.Sasrec));
        Assert.Empty(new RunOptions { Variant = Variants.OriginalProj }.Validate(10));
        Assert.NotEmpty(new RunOptions { Model = ModelFamily.Hstu, Variant = Variants.OriginalProj }.Validate(10));
        Assert.Equal("sasrec-originalproj-l2-d50-h1-len50-bce-fp32-s42", new RunOptions { Variant = Variants.OriginalProj }.DisplayName);
    }

    [Fact]
    public void ACheckpointOfTheOldOriginalLayoutIsRefusedWithTheVariantThatReadsIt()
    {
        // A run stored as "Original" before the change has the projection: 1 block at d = 8 → 8·8 + 8 = 72 more weights.
        var data = TestData.Walks();
        var tiny = new RunOptions { Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, BatchSize = 8, Epochs = 1, Threads = 1 };
        Checkpoint old;
        using (var withProjection = new TrainingSession(tiny with { Variant = Variants.OriginalProj }, data))
        {
            withProjection.TrainStep();
            old = withProjection.ToCheckpoint([], 0, 0);
        }
        using var kang = new TrainingSession(tiny with { Variant = Variants.Original }, data);
        var e = Assert.Throws<ArgumentException>(() => kang.Restore(old));
        Assert.Contains($"holds {old.Weights.Length:N0} parameters", e.Message, StringComparison.Ordinal);
        Assert.Contains($"has {old.Weights.Length - 72:N0}", e.Message, StringComparison.Ordinal);
        Assert.Contains("72 = 1 × (d² + d)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Variants.OriginalProj}'", e.Message, StringComparison.Ordinal);

        using var proj = new TrainingSession(tiny with { Variant = Variants.OriginalProj }, data);
        proj.Restore(old); // the honest name reads it
        Assert.Equal(old.Weights, proj.Parameters.Values);
    }

    [Fact]
    public void AnyOtherParameterMismatchIsRefusedWithoutTheLayoutHint()
    {
        var data = TestData.Walks();
        var tiny = new RunOptions { Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, BatchSize = 8, Epochs = 1, Threads = 1 };
        Checkpoint wide;
        using (var s = new TrainingSession(tiny with { Dim = 16 }, data)) wide = s.ToCheckpoint([], 0, 0);
        using var narrow = new TrainingSession(tiny with { Variant = Variants.Original }, data);
        var e = Assert.Throws<ArgumentException>(() => narrow.Restore(wide));
        Assert.Contains("parameters", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Variants.OriginalProj, e.Message, StringComparison.Ordinal);
    }
}
