using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Optim;

/// <summary>The optimisers against their torch update rules, written out in double for a few steps.</summary>
public sealed class OptimizerTests
{
    private static (ParameterLayout Layout, float[] W) Setup(int n = 37)
    {
        var layout = new ParameterLayout();
        layout.Add("matrix", 1 + n / 2, 2);           // decayed (≥ 2-D)
        layout.Add("bias", 1, n - 2 * (1 + n / 2) + n, decay: false);
        var rng = new Rng(9);
        var w = Enumerable.Range(0, layout.Length).Select(_ => (float)rng.NextGaussian()).ToArray();
        return (layout, w);
    }

    private static float[] Gradient(int n, int step) =>
        Enumerable.Range(0, n).Select(i => (float)Math.Sin(i * 0.7 + step)).ToArray();

    [Theory]
    [InlineData(OptimizerKind.Adam, 0.0)]
    [InlineData(OptimizerKind.Adam, 0.1)]
    [InlineData(OptimizerKind.AdamW, 0.1)]
    public void AdamFollowsTorch(OptimizerKind kind, double decay)
    {
        var (layout, w) = Setup();
        var o = new RunOptions { Optimizer = kind, WeightDecay = decay, Beta1 = 0.9, Beta2 = 0.98, Epsilon = 1e-8 };
        var opt = new Optimizer(o, layout);
        var expected = w.Select(v => (double)v).ToArray();
        var m = new double[w.Length];
        var v = new double[w.Length];
        const double lr = 0.01;
        for (var t = 1; t <= 5; t++)
        {
            var g = Gradient(w.Length, t);
            for (var i = 0; i < w.Length; i++)
            {
                var decays = i < layout.Slots[0].Length;
                double gi = g[i];
                if (decays && kind == OptimizerKind.AdamW) expected[i] -= lr * decay * expected[i];
                if (decays && kind == OptimizerKind.Adam) gi += decay * expected[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.98 * v[i] + 0.02 * gi * gi;
                var mhat = m[i] / (1 - Math.Pow(0.9, t));
                var denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.98, t)) + 1e-8;
                expected[i] -= lr * mhat / denom;
            }
            opt.Steps++;
            opt.Step(w, g, lr, 0, w.Length);
        }
        for (var i = 0; i < w.Length; i++) Assert.Equal(expected[i], w[i], 4e-5);
    }

    [Fact]
    public void SgdWithMomentumFollowsTorch()
    {
        var (layout, w) = Setup();
        var opt = new Optimizer(new RunOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9 }, layout);
        var expected = w.Select(v => (double)v).ToArray();
        var b = new double[w.Length];
        for (var t = 1; t <= 4; t++)
        {
            var g = Gradient(w.Length, t);
            for (var i = 0; i < w.Length; i++)
            {
                b[i] = 0.9 * b[i] + g[i];
                expected[i] -= 0.1 * b[i];
            }
            opt.Steps++;
            opt.Step(w, g, 0.1, 0, w.Length);
        }
        for (var i = 0; i < w.Length; i++) Assert.Equal(expected[i], w[i], 1e-5);
    }

    [Fact]
    public void SwitchingToSgdResetsTheMoments()
    {
        var (layout, w) = Setup();
        var opt = new Optimizer(new RunOptions(), layout);
        opt.Steps++;
        opt.Step(w, Gradient(w.Length, 1), 0.01, 0, w.Length);
        Assert.Contains(opt.M, x => x != 0);
        opt.SwitchToSgd();
        Assert.Equal(OptimizerKind.Sgd, opt.Kind);
        Assert.All(opt.M, x => Assert.Equal(0, x));
    }

    [Fact]
    public void ClippingScalesTheGlobalNormDownOnly()
    {
        var g = new float[] { 3, 4 };
        Assert.Equal(5, Optimizer.ClipNorm(g, 1), 6);
        Assert.Equal(1, Math.Sqrt(g[0] * g[0] + g[1] * g[1]), 5);
        var small = new float[] { 0.3f, 0.4f };
        Optimizer.ClipNorm(small, 1);
        Assert.Equal([0.3f, 0.4f], small);
    }
}
