using PLaw.Engine.Autograd;
using PLaw.Engine.Models;
using PLaw.Engine.Ranking;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Ranking;

/// <summary>HSTU as a ranker: causal over the interleaved tokens, and its loss gradient matches finite differences.</summary>
public sealed class RankerTests
{
    private const int Items = 9, Length = 4;

    public static TheoryData<string> Variants() => new() { PLaw.Engine.Training.Variants.Reference, PLaw.Engine.Training.Variants.PLaw };

    private static RunOptions Options(string variant) => new()
    {
        Model = ModelFamily.Hstu, Variant = variant, Task = RunTask.Ranking, Layers = 2, Dim = 8, Heads = 2, MaxLength = Length, Dropout = 0,
    };

    /// <summary>Fills window <paramref name="b"/> with the impressions, every item a target; returns the item tokens' rows.</summary>
    private static int[] Fill(SequenceBatch batch, sbyte[] targets, int b, int[] items, bool[] labels, long[] times)
    {
        Interleaving.Fill(batch, b, Items, items, labels, times, historyTargets: true, candidate: 0, candidateLabel: false, candidateTime: 0, targets);
        return Enumerable.Range(b * batch.Length, batch.Length).Where(r => targets[r] >= 0).ToArray();
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void AnItemsPredictionSeesEarlierActionsButNotItsOwnNorAnythingLater(string variant)
    {
        var ranker = new Ranker<double>(Options(variant), Items);
        var store = new ParameterStore<double>(ranker.Layout);
        ranker.Initialize(store.Values, new Rng(3));
        var graph = new Graph<double>(store);
        ranker.Attach(graph);
        var batch = new SequenceBatch(ranker.Window);
        batch.Reset(3, 0);
        batch.HasTimes = true;
        var targets = new sbyte[3 * ranker.Window];
        // Window 0: the reference. Window 1: item 2's own action flipped, items 3 and 4 (their actions and times) changed.
        // Window 2: item 1's action flipped, which item 2 is allowed to see.
        var rows0 = Fill(batch, targets, 0, [5, 6, 7, 8], [true, false, true, false], [100, 200, 300, 400]);
        var rows1 = Fill(batch, targets, 1, [5, 6, 3, 2], [true, true, false, true], [100, 200, 900, 5000]);
        var rows2 = Fill(batch, targets, 2, [5, 6, 7, 8], [false, false, true, false], [100, 200, 300, 400]);
        graph.Begin(training: false);
        var z = ranker.Forward(batch).Value.ToArray();

        Assert.Equal(4, rows0.Length);
        for (var t = 0; t < 2; t++) Assert.Equal(z[rows0[t]], z[rows1[t]], 12);
        Assert.NotEqual(z[rows0[2]], z[rows1[2]], 6);   // item 3 itself changed
        Assert.NotEqual(z[rows0[1]], z[rows2[1]], 6);   // item 2 reads item 1's action
        Assert.Equal(z[rows0[0]], z[rows2[0]], 12);     // item 1 does not read its own
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void RankingLossGradientMatchesFiniteDifferences(string variant)
    {
        var ranker = new Ranker<double>(Options(variant), Items);
        var check = new GradientCheck(ranker.Layout);
        ranker.Initialize(check.Store.Values, new Rng(3));
        // Norms and the head's bias off their initial 1/0, so their gradients are exercised in general position.
        var rng = new Rng(4);
        foreach (var s in ranker.Layout.Slots.Where(s => s.Rows == 1))
            for (var i = 0; i < s.Length; i++) check.Store.Values[s.Offset + i] += 0.3 * rng.NextGaussian();
        var batch = new SequenceBatch(ranker.Window);
        batch.Reset(2, 0);
        batch.HasTimes = true;
        var targets = new sbyte[2 * ranker.Window];
        Fill(batch, targets, 0, [5, 6, 7, 8], [true, false, true, false], [100, 200, 300, 400]);
        Fill(batch, targets, 1, [3, 9, 1], [false, true, true], [50, 5000, 90000]);
        var e = ranker.Backbone.ItemEmbedding;
        bool Skip(int i) => i >= e.Offset && i < e.Offset + e.Cols; // row 0, padding, is never updated
        var error = check.Loss(g =>
        {
            ranker.Attach(g);
            return new ImpressionLoss<double>(g).Forward(ranker.Forward(batch), targets, 1.0 / 7);
        }, Skip);
        Assert.True(error < 1e-6, $"max error {error}");
        var head = ranker.Layout.Slots.Single(s => s.Name == "rank_head.weight");
        Assert.Contains(check.AnalyticGradient.AsSpan(head.Offset, head.Length).ToArray(), v => v != 0);
        var positive = e.Offset + Interleaving.ActionToken(Items, positive: true) * e.Cols; // the action rows learn too
        Assert.Contains(check.AnalyticGradient.AsSpan(positive, e.Cols).ToArray(), v => v != 0);
    }

    [Fact]
    public void ImpressionLossIsTheMeanBinaryCrossEntropyOfTheTargetRows()
    {
        var layout = new ParameterLayout();
        var slot = layout.Add("z", 4, 1);
        var store = new ParameterStore<double>(layout);
        double[] z = [0, Math.Log(3), 2, -1];
        z.CopyTo(store.Values, 0);
        var graph = new Graph<double>(store);
        graph.Begin(training: true);
        var logits = graph.Param(slot);
        // Rows 0 (positive), 1 (negative), 3 (positive) count; row 2 has no target.
        var loss = new ImpressionLoss<double>(graph).Forward(logits, [1, 0, Interleaving.NoTarget, 1], 1.0 / 3);
        graph.Tape.Backward();
        var expected = (Math.Log(2) - Math.Log(0.25) + Math.Log(1 + Math.E)) / 3; // −ln σ(0), −ln(1 − σ(ln 3)), −ln σ(−1)
        Assert.Equal(expected, loss, 12);
        Assert.Equal(new[] { (0.5 - 1) / 3, 0.75 / 3, 0, (1 / (1 + Math.E) - 1) / 3 }, graph.Grads, new ToleranceComparer(1e-12));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
