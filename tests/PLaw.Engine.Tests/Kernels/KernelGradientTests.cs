using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests.Kernels;

/// <summary>Every op's backward pass against central differences in double: d = 8, L = 5, 2 heads, 2 sequences.</summary>
public sealed class KernelGradientTests
{
    private const double Tolerance = 1e-6;
    private const int B = 2, L = 5, D = 8, Heads = 2, Rows = B * L;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearGradientsMatchFiniteDifferences(bool withBias)
    {
        var c = new GradientCheck();
        var x = c.Input("x", Rows, D);
        var w = c.Input("w", 6, D);
        var b = withBias ? c.Input("b", 1, 6) : null;
        Assert.True(c.Output(g => new Linear<double>(g, w, b).Forward(g.Param(x))) < Tolerance);
        Assert.NotEqual(0, c.AnalyticGradient[x.Offset]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LayerNormGradientsMatchFiniteDifferences(bool affine)
    {
        var c = new GradientCheck();
        var x = c.Input("x", Rows, D);
        var gamma = affine ? c.Input("g", 1, D) : null;
        var beta = affine ? c.Input("b", 1, D) : null;
        Assert.True(c.Output(g => new LayerNorm<double>(g, gamma, beta, 1e-8).Forward(g.Param(x))) < Tolerance);
    }

    [Fact]
    public void RmsNormGradientsMatchFiniteDifferences()
    {
        var c = new GradientCheck();
        var x = c.Input("x", Rows, D);
        var gamma = c.Input("g", 1, D);
        Assert.True(c.Output(g => new RmsNorm<double>(g, gamma, 1e-5).Forward(g.Param(x))) < Tolerance);
    }

    [Fact]
    public void PointwiseGradientsMatchFiniteDifferences()
    {
        var c = new GradientCheck();
        var a = c.Input("a", Rows, D);
        var b = c.Input("b", Rows, 3 * D);
        Assert.True(c.Output(g => new Add<double>(g).Forward(g.Param(a), g.Param(a))) < Tolerance);
        var em = c.Output(g => new Multiply<double>(g).Forward(g.Param(a), g.Param(b), D));
        Assert.True(em < Tolerance, $"multiply {em} a0 {c.AnalyticGradient[a.Offset]} n0 {c.NumericGradient[a.Offset]} b {c.AnalyticGradient[b.Offset + D]} {c.NumericGradient[b.Offset + D]} b0 {c.AnalyticGradient[b.Offset]} {c.NumericGradient[b.Offset]}");
        Assert.True(c.Output(g => new Relu<double>(g).Forward(g.Param(a))) < Tolerance);
        Assert.True(c.Output(g => new Silu<double>(g).Forward(g.Param(a))) < Tolerance);
        Assert.True(c.Output(g => new Dropout<double>(g, 0.3).Forward(g.Param(a))) < Tolerance);
        Assert.True(c.Output(g => new L2Normalize<double>(g).Forward(g.Param(a))) < Tolerance);
        var ids = new[] { 0, 3, 1, 0, 2, 5, 6, 0, 1, 1 };
        Assert.True(c.Output(g => new RowMask<double>(g).Forward(g.Param(a), ids)) < Tolerance);
    }

    [Fact]
    public void DropoutZeroesAboutPAndScalesTheRest()
    {
        var graph = new Graph<float>(new ParameterStore<float>(new ParameterLayout())) { Training = true };
        graph.Rng.Reseed(3);
        var x = graph.Arena.Alloc(100, 100, true);
        x.Value.Fill(1);
        var y = new Dropout<float>(graph, 0.25).Forward(x);
        var zeros = y.Value.ToArray().Count(v => v == 0);
        Assert.InRange(zeros, 2300, 2700);
        Assert.All(y.Value.ToArray().Where(v => v != 0), v => Assert.Equal(1 / 0.75f, v, 5));
    }

    [Fact]
    public void EmbeddingGradientsMatchAndPaddingRowGetsNone()
    {
        var c = new GradientCheck();
        var table = c.Input("E", 7, D);
        var pos = c.Input("P", L + 1, D);
        var ids = new[] { 1, 2, 3, 4, 5, 6, 1, 1, 2, 3 };
        var positions = Enumerable.Range(0, Rows).Select(r => r % L + 1).ToArray();
        Assert.True(c.Output(g =>
        {
            var y = new Embedding<double>(g, table).Forward(ids, 0, Rows, Math.Sqrt(D));
            return new Embedding<double>(g, pos).Forward(positions, 0, Rows, 1, y);
        }) < Tolerance);

        var padded = new[] { 0, 0, 3, 4, 5, 0, 6, 1, 2, 3 };
        c.Output(g => new Embedding<double>(g, table).Forward(padded, 0, Rows, 2));
        Assert.All(c.AnalyticGradient.AsSpan(table.Offset, D).ToArray(), v => Assert.Equal(0, v));
        Assert.NotEqual(0, c.NumericGradient[table.Offset]); // E[0] is read, but padding_idx keeps it frozen
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4)]
    public void CausalAttentionGradientsMatchFiniteDifferences(double dropout)
    {
        var c = new GradientCheck();
        var qkv = c.Input("qkv", Rows, 3 * D);
        Assert.True(c.Output(g => new CausalAttention<double>(g, Heads, D / Heads, dropout)
            .Forward(g.Param(qkv), 0, D, 2 * D, L, 1 / Math.Sqrt(D / Heads))) < Tolerance);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4)]
    public void MaskedAttentionWithSeparateKeysGradientsMatchFiniteDifferences(double dropout)
    {
        // Kang's SASRec: Q from one matrix, K and V from another; pad keys masked, pad query rows zero.
        var c = new GradientCheck();
        var q = c.Input("q", Rows, D);
        var kv = c.Input("kv", Rows, 2 * D);
        var ids = new[] { 0, 0, 3, 4, 5, 0, 6, 1, 2, 3 };
        Assert.True(c.Output(g => new CausalAttention<double>(g, Heads, D / Heads, dropout)
            .Forward(g.Param(q), 0, g.Param(kv), 0, D, L, 1 / Math.Sqrt(D / Heads), ids)) < Tolerance);
    }

    [Fact]
    public void MaskedAttentionIgnoresPadKeysAndZeroesPadQueries()
    {
        var (graph, qkv) = OneHeadRamp();
        var ids = new[] { 0, 0, 7, 8, 9 };
        var o = new CausalAttention<double>(graph, 1, 1, 0).Forward(qkv, 0, 1, 2, L, 1, ids);
        Assert.Equal(0, o.Value[0]);
        Assert.Equal(0, o.Value[1]);
        Assert.Equal(3, o.Value[2], 12); // the first real row sees only itself, not the two pads before it
        var s = Enumerable.Range(2, 2).Select(j => Math.Exp(0.1 * 3 * 0.3 * j)).ToArray();
        Assert.Equal(s.Select((w, j) => w * (j + 3)).Sum() / s.Sum(), o.Value[3], 12);
    }

    [Fact]
    public void CausalAttentionRowsAreCausalSoftmax()
    {
        var (graph, qkv) = OneHeadRamp();
        var o = new CausalAttention<double>(graph, 1, 1, 0).Forward(qkv, 0, 1, 2, L, 1);
        // Row 0 sees only itself; row i is a softmax-weighted mean of v_0..v_i, so it lies in [1, i + 1].
        Assert.Equal(1, o.Value[0], 12);
        for (var i = 1; i < L; i++) Assert.InRange(o.Value[i], 1.0, i + 1.0);
        var s = Enumerable.Range(0, 3).Select(j => Math.Exp(0.1 * 2 * 0.3 * j)).ToArray();
        Assert.Equal(s.Select((w, j) => w * (j + 1)).Sum() / s.Sum(), o.Value[2], 12);
    }

    // One sequence of L rows, d_h = 1: q_r = 0.1·r, k_r = 0.3·r, v_r = r + 1, so softmax weights are easy to write down.
    private static (Graph<double> Graph, Var<double> Qkv) OneHeadRamp()
    {
        var graph = new Graph<double>(new ParameterStore<double>(new ParameterLayout()));
        var qkv = graph.Arena.Alloc(L, 3, false);
        for (var r = 0; r < L; r++) { qkv.Row(r)[0] = 0.1 * r; qkv.Row(r)[1] = 0.3 * r; qkv.Row(r)[2] = r + 1; }
        return (graph, qkv);
    }

    [Theory]
    [InlineData(true, 0.0, false)]
    [InlineData(false, 0.3, false)]
    [InlineData(true, 0.0, true)]    // the "silu" ablation: softmax weights, with the reference's pads and biases
    [InlineData(true, 0.3, true)]
    [InlineData(false, 0.3, true)]
    public void HstuAttentionGradientsMatchFiniteDifferences(bool reference, double dropout, bool softmax)
    {
        var c = new GradientCheck();
        var x = c.Input("uvqk", Rows, 4 * D);
        var wPos = reference ? c.Input("w_pos", 1, 2 * L - 1) : null;
        var wTs = reference ? c.Input("w_ts", 1, 129) : null;
        var keyStart = reference ? new[] { 2, 0 } : null;
        var buckets = reference ? Enumerable.Range(0, B * L * L).Select(i => i * 7 % 5).ToArray() : null;
        Assert.True(c.Output(g => new HstuAttention<double>(g, Heads, D / Heads, dropout, wPos, wTs, softmax)
            .Forward(g.Param(x), 2 * D, 3 * D, D, L, reference ? 1 : 1 / Math.Sqrt(D / Heads), reference ? 1.0 / L : 1, keyStart, buckets)) < Tolerance);
        if (reference) Assert.NotEqual(0, c.AnalyticGradient[wTs!.Offset + 3]);
    }

    [Fact]
    public void HstuSoftmaxAttentionIsTheRowSoftmaxOverTheLiveKeys()
    {
        // One head, d_h = 1 (q_r = 0.1·r, k_r = 0.3·r, v_r = r + 1), two left pads, w_pos[L − 1 + j − i] = 0.05·(j − i):
        // A_ij = exp(α q_i k_j + R_ij) / Σ_{2 ≤ j' ≤ i} exp(…), β ignored; pad queries output 0.
        var layout = new ParameterLayout();
        var wPos = layout.Add("w_pos", 1, 2 * L - 1);
        var store = new ParameterStore<double>(layout);
        for (var k = 0; k < 2 * L - 1; k++) store.Values[k] = 0.05 * (k - (L - 1));
        var graph = new Graph<double>(store);
        var x = graph.Arena.Alloc(L, 3, false);
        for (var r = 0; r < L; r++) { x.Row(r)[0] = 0.1 * r; x.Row(r)[1] = 0.3 * r; x.Row(r)[2] = r + 1; }
        const double alpha = 0.7;
        var o = new HstuAttention<double>(graph, 1, 1, 0, wPos, softmax: true)
            .Forward(x, 0, 1, 2, L, alpha, beta: 123, keyStart: [2], buckets: null);
        Assert.Equal(0, o.Value[0]);
        Assert.Equal(0, o.Value[1]);
        for (var i = 2; i < L; i++)
        {
            var w = Enumerable.Range(2, i - 1).Select(j => Math.Exp(alpha * 0.1 * i * 0.3 * j + 0.05 * (j - i))).ToArray();
            Assert.Equal(w.Select((e, n) => e * (n + 3)).Sum() / w.Sum(), o.Value[i], 12);
        }
    }

    [Fact]
    public void RopeGradientsMatchAndRotationKeepsNorms()
    {
        var c = new GradientCheck();
        var x = c.Input("qkv", Rows, 3 * D);
        Assert.True(c.Output(g => new Rope<double>(g, D / Heads).Forward(g.Param(x), 0, 2 * D, L)) < Tolerance);

        var graph = new Graph<double>(c.Store);
        var y = new Rope<double>(graph, D / Heads).Forward(graph.Param(x), 0, 2 * D, L);
        for (var r = 0; r < Rows; r++)
        for (var p = 0; p < D; p += 2)
        {
            var a = graph.Param(x).Row(r);
            Assert.Equal(a[p] * a[p] + a[p + 1] * a[p + 1], y.Row(r)[p] * y.Row(r)[p] + y.Row(r)[p + 1] * y.Row(r)[p + 1], 10);
        }
        // Position 0 is not rotated; the v columns are never rotated.
        Assert.Equal(graph.Param(x).Row(0)[1], y.Row(0)[1]);
        Assert.Equal(graph.Param(x).Row(3)[2 * D + 1], y.Row(3)[2 * D + 1]);
        // Interleaved pairs: row 1 (t = 1), pair 0 of head 0 turns by θ₀ = 1 rad.
        var a1 = graph.Param(x).Row(1);
        Assert.Equal(a1[0] * Math.Cos(1) - a1[1] * Math.Sin(1), y.Row(1)[0], 12);
    }

    [Fact]
    public void BceLossGradientsMatchFiniteDifferences()
    {
        var c = new GradientCheck();
        var h = c.Input("h", Rows, D);
        var items = c.Input("E", 9, D);
        var pos = new[] { 0, 1, 2, 3, 4, 0, 5, 6, 7, 8 };
        var neg = new[] { 0, 8, 7, 6, 5, 0, 4, 3, 2, 1 };
        Assert.True(c.Loss(g => new BceLoss<double>(g, items).Forward(g.Param(h), pos, neg, 0, 1.0 / 8)) < Tolerance);
    }

    [Fact]
    public void BceLossIsPmixersMeanOfTwoMeans()
    {
        var graph = new Graph<double>(new ParameterStore<double>(new ParameterLayout()));
        var layout = new ParameterLayout();
        var items = layout.Add("E", 3, 1);
        var store = new ParameterStore<double>(layout);
        store.Values[1] = 1; store.Values[2] = -1;
        graph = new Graph<double>(store);
        var h = graph.Arena.Alloc(2, 1, false);
        h.Value[0] = 2; h.Value[1] = 0.5;
        var loss = new BceLoss<double>(graph, items).Forward(h, [1, 1], [2, 2], 0, 0.5);
        double Sp(double x) => Math.Log(1 + Math.Exp(x));
        Assert.Equal((Sp(-2) + Sp(-0.5)) / 2 + (Sp(-2) + Sp(-0.5)) / 2, loss, 12);
    }

    [Fact]
    public void SampledSoftmaxGradientsMatchAndCollisionsAreMasked()
    {
        var c = new GradientCheck();
        var h = c.Input("h", Rows, D);
        var items = c.Input("E", 9, D);
        var pos = new[] { 0, 1, 2, 3, 4, 0, 5, 6, 7, 8 };
        const int k = 3;
        var neg = Enumerable.Range(0, Rows * k).Select(i => i % 8 + 1).ToArray();
        neg[1 * k + 0] = 1; // collides with the positive of row 1
        Assert.True(c.Loss(g => new SampledSoftmaxLoss<double>(g, items, 0.5).Forward(g.Param(h), pos, neg, k, 0.125)) < Tolerance);

        // A collision contributes exactly nothing: replacing it by another colliding copy leaves the loss unchanged.
        var graph = new Graph<double>(c.Store);
        var row = new Var<double>(c.Store.Values, null, h.Offset, 1, D);
        var l1 = new SampledSoftmaxLoss<double>(graph, items, 0.5).Forward(row, [1], [1, 2, 3], 3, 1);
        var l2 = new SampledSoftmaxLoss<double>(graph, items, 0.5).Forward(row, [1], [2, 3], 2, 1);
        Assert.Equal(l2, l1, 12);
    }

    [Fact]
    public void FullSoftmaxGradientsMatchAndEqualLogSumExpMinusTarget()
    {
        var c = new GradientCheck();
        var h = c.Input("h", 40, D); // more rows than one 32-row chunk
        var items = c.Input("E", 9, D);
        var pos = Enumerable.Range(0, 40).Select(i => i % 9).ToArray();
        Assert.True(c.Loss(g => new FullSoftmaxLoss<double>(g, items).Forward(g.Param(h), pos, 0.1)) < Tolerance);

        var graph = new Graph<double>(c.Store);
        var hv = new Var<double>(c.Store.Values, null, h.Offset, 1, D);
        var e = graph.Param(items);
        var loss = new FullSoftmaxLoss<double>(graph, items).Forward(hv, [3], 1);
        var z = Enumerable.Range(1, 8).Select(i => hv.Row(0).ToArray().Zip(e.Row(i).ToArray(), (a, b) => a * b).Sum()).ToArray();
        var max = z.Max();
        Assert.Equal(max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[2], loss, 10);
    }
}
