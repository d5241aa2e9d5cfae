using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Models;

/// <summary>
/// The HSTU ablations change the forward exactly as specified and nothing else: the reference model against a naive
/// per-cell reading of models.md §3a with each component switched off, "no rab" equal to the full model with R zeroed,
/// and the parameters each ablation removes.
/// </summary>
public sealed class HstuAblationTests
{
    private const int Items = 20, Length = 6, Dim = 8, Heads = 2, Layers = 2;

    private static RunOptions Options(string variant, string? ablate) => new()
    {
        Model = ModelFamily.Hstu, Variant = variant, Ablate = ablate, Layers = Layers, Dim = Dim, Heads = Heads, MaxLength = Length,
        Dropout = 0,
    };

    [Theory]
    [InlineData(null)]
    [InlineData("rab")]
    [InlineData("silu")]
    [InlineData("gate")]
    [InlineData("rab,silu,gate")]
    public void ReferenceForwardIsTheNaiveReadingOfTheSpecWithTheComponentsOff(string? ablate)
    {
        var o = Options(Variants.Reference, ablate);
        var (model, store) = Built(o);
        var batch = Batch();
        var hidden = Forward(model, store, batch);
        var expected = NaiveReference(o, model.Layout, store.Values, batch);
        var worst = hidden.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-12, $"max difference {worst:E2}");
    }

    [Fact]
    public void NoRabIsTheFullModelWithTheBiasZeroed()
    {
        var (full, fullStore) = Built(Options(Variants.Reference, null));
        var (ablated, ablatedStore) = Built(Options(Variants.Reference, "rab"));
        CopyShared(full.Layout, fullStore.Values, ablated.Layout, ablatedStore.Values);
        var batch = Batch();
        var withBias = Forward(full, fullStore, batch);
        Assert.True(Difference(withBias, Forward(ablated, ablatedStore, batch)) > 1e-4, "the initial bias changes nothing: the check would be empty");

        foreach (var s in full.Layout.Slots.Where(s => s.Name.Contains(".rab.", StringComparison.Ordinal)))
            Array.Clear(fullStore.Values, s.Offset, s.Length);
        Assert.True(Difference(Forward(full, fullStore, batch), Forward(ablated, ablatedStore, batch)) < 1e-14);
    }

    [Theory]
    [InlineData(Variants.Reference, "silu")]
    [InlineData(Variants.Reference, "gate")]
    [InlineData(Variants.PLaw, "silu")]
    [InlineData(Variants.PLaw, "gate")]
    public void EachAblationChangesTheForwardOfTheSameWeights(string variant, string ablate)
    {
        var (full, fullStore) = Built(Options(variant, null));
        var (ablated, ablatedStore) = Built(Options(variant, ablate));
        CopyShared(full.Layout, fullStore.Values, ablated.Layout, ablatedStore.Values);
        var batch = Batch();
        Assert.True(Difference(Forward(full, fullStore, batch), Forward(ablated, ablatedStore, batch)) > 1e-3);
    }

    [Fact]
    public void AblationsRemoveExactlyTheirParameters()
    {
        // Reference block: W 4d² (3d² without U), W_o d² + d, w_pos 2L − 1, w_ts 129; P-Law block 5d² + 2d (4d² without W_u).
        long d = Dim, n = Layers, l = Length;
        long Count(string variant, string? ablate) => ParameterCount.Of(Options(variant, ablate), Items).NonEmbedding;
        var reference = Count(Variants.Reference, null);
        Assert.Equal(n * (5 * d * d + d + 2 * l - 1 + 129), reference);
        Assert.Equal(reference - n * (2 * l - 1 + 129), Count(Variants.Reference, "rab"));
        Assert.Equal(reference, Count(Variants.Reference, "silu"));
        Assert.Equal(reference - n * d * d, Count(Variants.Reference, "gate"));
        Assert.Equal(reference - n * (d * d + 2 * l - 1 + 129), Count(Variants.Reference, "rab,silu,gate"));
        var plaw = Count(Variants.PLaw, null);
        Assert.Equal(plaw, Count(Variants.PLaw, "silu"));
        Assert.Equal(plaw - n * d * d, Count(Variants.PLaw, "silu,gate"));
        // Embeddings are never ablated.
        Assert.Equal(ParameterCount.Of(Options(Variants.Reference, null), Items).Embedding,
            ParameterCount.Of(Options(Variants.Reference, "rab,silu,gate"), Items).Embedding);
        // The built model agrees (and names the projection after what it holds).
        var layout = ModelFactory.Create<double>(Options(Variants.Reference, "rab,gate"), Items).Layout;
        Assert.Contains(layout.Slots, s => s.Name == "blocks.0.vqk" && s.Rows == 3 * Dim);
        Assert.DoesNotContain(layout.Slots, s => s.Name.Contains("rab", StringComparison.Ordinal) || s.Name.Contains("uvqk", StringComparison.Ordinal));
    }

    [Fact]
    public void PLawRefusesToAblateABiasItDoesNotHave() =>
        Assert.Throws<ArgumentException>(() => ModelFactory.Create<double>(Options(Variants.PLaw, "rab"), Items));

    private static (ISequenceModel<double> Model, ParameterStore<double> Store) Built(RunOptions o)
    {
        var model = ModelFactory.Create<double>(o, Items);
        var store = new ParameterStore<double>(model.Layout);
        model.Initialize(store.Values, new Rng(3));
        // Biases and norms off their initial values, so every term is exercised in general position.
        var rng = new Rng(4);
        foreach (var s in model.Layout.Slots.Where(s => s.Rows == 1))
            for (var i = 0; i < s.Length; i++) store.Values[s.Offset + i] += 0.3 * rng.NextGaussian();
        return (model, store);
    }

    private static double[] Forward(ISequenceModel<double> model, ParameterStore<double> store, SequenceBatch batch)
    {
        var graph = new Graph<double>(store);
        model.Attach(graph);
        graph.Begin(training: false);
        return model.Forward(batch).Value.ToArray();
    }

    private static double Difference(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    // Every parameter the ablated model has, from the full model: same names, or the fused projection without U
    // (reference: uvqk rows d.. are V, Q, K; P-Law: qkvu rows ..3d are q, k, v).
    private static void CopyShared(ParameterLayout full, double[] from, ParameterLayout ablated, double[] to)
    {
        foreach (var s in ablated.Slots)
        {
            var (name, skip) = s.Name.EndsWith(".vqk", StringComparison.Ordinal) ? (s.Name[..^3] + "uvqk", Dim * Dim)
                : s.Name.EndsWith(".qkv", StringComparison.Ordinal) ? (s.Name + "u", 0)
                : (s.Name, 0);
            var source = full.Slots.Single(f => f.Name == name);
            Array.Copy(from, source.Offset + skip, to, s.Offset, s.Length);
        }
    }

    // Two windows: half left padding, and full; timestamps for the time bias.
    private static SequenceBatch Batch()
    {
        var rng = new Rng(11);
        var batch = new SequenceBatch(Length);
        batch.Reset(2, 1);
        batch.HasTimes = true;
        for (var b = 0; b < 2; b++)
        for (var t = b == 0 ? Length / 2 : 0; t < Length; t++)
        {
            var r = b * Length + t;
            batch.Inputs[r] = 1 + rng.NextInt(Items);
            batch.Targets[r] = 1 + rng.NextInt(Items);
            batch.InputTimes[r] = 1_000_000 + 3_600L * t * t + 86_400L * b;
            batch.TargetTimes[r] = 1_000_000 + 3_600L * (t + 1) * (t + 1) + 86_400L * b;
        }
        return batch;
    }

    /// <summary>
    /// models.md §3a cell by cell, with the port's left pads: x = √d E[s_t] + P[t − start], pad rows 0; per block
    /// Z = LN₀(X); [U,] V, Q, K = SiLU(Z Wᵀ); S_ij = α Q_i·K_j + R_ij on start ≤ j ≤ i; A = SiLU(S)/L, or softmax_j(S) with
    /// α = 1/√d_h; O = A V (0 for pad queries); X += W_o·([U ⊙] LN₀(O)) + b_o; output X/‖X‖.
    /// </summary>
    private static double[] NaiveReference(RunOptions o, ParameterLayout layout, double[] w, SequenceBatch batch)
    {
        var ablation = HstuAblations.Of(o);
        bool gate = !ablation.HasFlag(HstuAblation.Gate), rab = !ablation.HasFlag(HstuAblation.Rab), softmax = ablation.HasFlag(HstuAblation.Silu);
        int d = o.Dim, l = batch.Length, dh = d / o.Heads;
        var alpha = softmax ? 1 / Math.Sqrt(dh) : 1;
        double W(string name, int row, int col)
        {
            var s = layout.Slots.Single(x => x.Name == name);
            return w[s.Offset + row * s.Cols + col];
        }
        var output = new double[batch.Count * l * d];
        for (var b = 0; b < batch.Count; b++)
        {
            var start = 0;
            while (start < l && batch.Inputs[b * l + start] == 0) start++;
            var x = new double[l, d];
            for (var t = start; t < l; t++)
            for (var c = 0; c < d; c++)
                x[t, c] = Math.Sqrt(d) * W("item_emb", batch.Inputs[b * l + t], c) + W("pos_emb", t - start, c);
            for (var layer = 0; layer < o.Layers; layer++)
            {
                var p = $"blocks.{layer}.";
                var width = gate ? 4 * d : 3 * d;
                var proj = new double[l, width];
                for (var t = 0; t < l; t++)
                {
                    var z = Ln0(Row(x, t));
                    for (var c = 0; c < width; c++)
                    {
                        var sum = 0.0;
                        for (var k = 0; k < d; k++) sum += W(p + (gate ? "uvqk" : "vqk"), c, k) * z[k];
                        proj[t, c] = Silu(sum);
                    }
                }
                int v0 = gate ? d : 0, q0 = v0 + d, k0 = v0 + 2 * d;
                var attended = new double[l, d];
                for (var h = 0; h < o.Heads; h++)
                for (var i = start; i < l; i++)
                {
                    var weights = new double[l];
                    for (var j = start; j <= i; j++)
                    {
                        var s = 0.0;
                        for (var c = 0; c < dh; c++) s += proj[i, q0 + h * dh + c] * proj[j, k0 + h * dh + c];
                        s *= alpha;
                        if (rab)
                        {
                            var delta = batch.TargetTimes[b * l + i] - batch.InputTimes[b * l + j];
                            s += W(p + "rab.w_pos", 0, l - 1 + j - i) + W(p + "rab.w_ts", 0, HstuAttention<double>.Bucket(delta));
                        }
                        weights[j] = softmax ? s : Silu(s) / l;
                    }
                    if (softmax)
                    {
                        var max = Enumerable.Range(start, i - start + 1).Max(j => weights[j]);
                        var total = Enumerable.Range(start, i - start + 1).Sum(j => Math.Exp(weights[j] - max));
                        for (var j = start; j <= i; j++) weights[j] = Math.Exp(weights[j] - max) / total;
                    }
                    for (var c = 0; c < dh; c++)
                        attended[i, h * dh + c] = Enumerable.Range(start, i - start + 1).Sum(j => weights[j] * proj[j, v0 + h * dh + c]);
                }
                for (var t = 0; t < l; t++)
                {
                    var n = Ln0(Row(attended, t));
                    for (var c = 0; c < d; c++) if (gate) n[c] *= proj[t, c];
                    for (var r = 0; r < d; r++)
                    {
                        var sum = W(p + "o.bias", 0, r);
                        for (var c = 0; c < d; c++) sum += W(p + "o.weight", r, c) * n[c];
                        x[t, r] += sum;
                    }
                }
            }
            for (var t = 0; t < l; t++)
            {
                var row = Row(x, t);
                var norm = Math.Max(Math.Sqrt(row.Sum(v => v * v)), 1e-6);
                for (var c = 0; c < d; c++) output[(b * l + t) * d + c] = row[c] / norm;
            }
        }
        return output;
    }

    private static double[] Row(double[,] m, int r) => Enumerable.Range(0, m.GetLength(1)).Select(c => m[r, c]).ToArray();

    private static double[] Ln0(double[] x)
    {
        var mean = x.Average();
        var variance = x.Average(v => (v - mean) * (v - mean));
        return x.Select(v => (v - mean) / Math.Sqrt(variance + 1e-6)).ToArray();
    }

    private static double Silu(double x) => x / (1 + Math.Exp(-x));
}
