using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Tests.Parity;
using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>
/// <see cref="TorchOptimizer"/> on a flat tensor with decayed matrices and undecayed vectors: in float64 against torch's
/// own optimisers (decay as a second parameter group without it, clip_grad_norm_ over both) to 1e-12, and in float32
/// against the native <see cref="Optimizer"/> on the same float arrays (bit for bit without clipping).
/// </summary>
public sealed class OptimizerParityTests
{
    private const int Steps = 3;

    private static ParameterLayout Layout()
    {
        var layout = new ParameterLayout();
        layout.Add("item_emb", 6, 4, isEmbedding: true);
        layout.Add("w", 4, 4);
        layout.Add("b", 1, 4);
        layout.Add("ln", 1, 4);
        return layout;
    }

    private static double[] Gaussian(int n, int seed, double scale)
    {
        var rng = new Rng((ulong)seed);
        return Enumerable.Range(0, n).Select(_ => scale * rng.NextGaussian()).ToArray();
    }

    public static TheoryData<OptimizerKind, double, double?> Cases() => new()
    {
        { OptimizerKind.Adam, 0, null },
        { OptimizerKind.Adam, 0.1, null },      // L2 decay folded into the gradient
        { OptimizerKind.AdamW, 0.1, null },     // decoupled decay
        { OptimizerKind.Sgd, 0.05, null },      // momentum with decay
        { OptimizerKind.Adam, 0, 0.5 },         // clipping by global norm (the gradients' norm is ≈ 14)
    };

    private static RunOptions Options(OptimizerKind kind, double decay, double? clip) => new()
    {
        Optimizer = kind, WeightDecay = decay, ClipNorm = clip, LearningRate = 0.01, Momentum = 0.9, Beta1 = 0.9, Beta2 = 0.98, Epsilon = 1e-8,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64StepsMatchTorchOptimisers(OptimizerKind kind, double decay, double? clip)
    {
        using var scope = NewDisposeScope();
        var layout = Layout();
        var o = Options(kind, decay, clip);
        var initial = Gaussian(layout.Length, 1, 1);
        var mask = new bool[layout.Length];
        foreach (var s in layout.Slots.Where(s => s.Decay)) mask.AsSpan(s.Offset, s.Length).Fill(true);
        var decayed = Enumerable.Range(0, layout.Length).Where(i => mask[i]).Select(i => (long)i).ToArray();
        var plain = Enumerable.Range(0, layout.Length).Where(i => !mask[i]).Select(i => (long)i).ToArray();

        var w = tensor(initial, ScalarType.Float64);
        using var optimizer = new TorchOptimizer(o, layout, w);

        var pd = new Parameter(tensor(decayed.Select(i => initial[i]).ToArray(), ScalarType.Float64));
        var pp = new Parameter(tensor(plain.Select(i => initial[i]).ToArray(), ScalarType.Float64));
        optim.Optimizer Make(Parameter p, double wd) => kind switch
        {
            OptimizerKind.Adam => optim.Adam([p], o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, wd),
            OptimizerKind.AdamW => optim.AdamW([p], o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, wd),
            _ => optim.SGD([p], o.LearningRate, o.Momentum, 0, wd),
        };
        var reference = new[] { Make(pd, decay), Make(pp, 0) };

        for (var step = 1; step <= Steps; step++)
        {
            var g = Gaussian(layout.Length, 100 + step, 3);
            var grad = tensor(g, ScalarType.Float64);
            if (clip is { } c) TorchOptimizer.Clip(grad, c);
            optimizer.Steps++;
            optimizer.Step(w, grad, o.LearningRate);

            foreach (var r in reference) r.zero_grad();
            var target = (pd * tensor(decayed.Select(i => g[i]).ToArray(), ScalarType.Float64)).sum() +
                         (pp * tensor(plain.Select(i => g[i]).ToArray(), ScalarType.Float64)).sum();
            target.backward();
            if (clip is { } c2) nn.utils.clip_grad_norm_([pd, pp], c2);
            foreach (var r in reference) r.step();
        }

        var expected = new double[layout.Length];
        var dv = pd.detach().data<double>().ToArray();
        var pv = pp.detach().data<double>().ToArray();
        for (var k = 0; k < decayed.Length; k++) expected[decayed[k]] = dv[k];
        for (var k = 0; k < plain.Length; k++) expected[plain[k]] = pv[k];
        var actual = w.data<double>().ToArray();
        var error = ForwardParity.RelativeError(expected, actual);
        Assert.True(error <= 1e-12, $"{kind} decay {decay} clip {clip}: weights differ from torch.optim by {error:E2}");
        Assert.True(ForwardParity.RelativeError(initial, actual) > 1e-4, "the weights did not move");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32StepsMatchTheNativeOptimizer(OptimizerKind kind, double decay, double? clip)
    {
        using var scope = NewDisposeScope();
        var layout = Layout();
        var o = Options(kind, decay, clip);
        var initial = Gaussian(layout.Length, 1, 1).Select(v => (float)v).ToArray();
        var native = new Optimizer(o, layout);
        var nw = (float[])initial.Clone();
        var w = tensor(initial, ScalarType.Float32);
        using var optimizer = new TorchOptimizer(o, layout, w);
        for (var step = 1; step <= Steps; step++)
        {
            var g = Gaussian(layout.Length, 100 + step, 3).Select(v => (float)v).ToArray();
            var grad = tensor(g, ScalarType.Float32);
            if (clip is { } c)
            {
                Optimizer.ClipNorm(g, c);
                TorchOptimizer.Clip(grad, c);
            }
            native.Steps++;
            native.Step(nw, g, o.LearningRate, 0, layout.Length);
            optimizer.Steps++;
            optimizer.Step(w, grad, o.LearningRate);
        }
        var actual = w.data<float>().ToArray();
        if (clip is null)
        {
            // The same float operations in the same order. Bit for bit on the AVX2 machine this was written on; on an AVX-512
            // one (AMD EPYC) a few of the 5-step results differ by 1–2 ulp, also with libtorch held to AVX2
            // (ATEN_CPU_CAPABILITY=avx2) and .NET's AVX-512 off, so the test allows float32 rounding: 8 ulp at most, and
            // nearly every element equal to the bit.
            AssertUlps(nw, actual, $"{kind} decay {decay}: weights");
            AssertUlps(native.M, TorchOptimizer.AsSingle(optimizer.M), $"{kind} decay {decay}: first moments");
            AssertUlps(native.V, TorchOptimizer.AsSingle(optimizer.V), $"{kind} decay {decay}: second moments");
            return;
        }
        // The native norm sums squares in float, the torch one in double: the clip factors differ in the last bits.
        var worst = Enumerable.Range(0, nw.Length).Max(i => Math.Abs(nw[i] - actual[i]) / Math.Max(Math.Abs(nw[i]), 1e-3));
        Assert.True(worst <= 1e-6, $"{kind} clip {clip}: worst relative difference {worst:E2} from the native optimiser");
    }

    private static void AssertUlps(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var apart = Enumerable.Range(0, expected.Length).Select(i => Math.Abs((long)BitConverter.SingleToInt32Bits(expected[i]) - BitConverter.SingleToInt32Bits(actual[i]))).ToList();
        Assert.True(expected.Zip(actual).All(p => Math.Sign(p.First) == Math.Sign(p.Second) || p.First == p.Second), $"{what}: a sign differs");
        Assert.True(apart.Max() <= 8, $"{what}: {apart.Max()} ulp apart at {apart.IndexOf(apart.Max())}");
        Assert.True(apart.Count(a => a != 0) <= expected.Length / 20, $"{what}: {apart.Count(a => a != 0)} of {expected.Length} elements differ");
    }

    [Fact]
    public void SwitchToSgdClearsTheMomentsAndRestartsTheStepCount()
    {
        using var scope = NewDisposeScope();
        var layout = Layout();
        var w = tensor(Gaussian(layout.Length, 1, 1), ScalarType.Float64);
        using var optimizer = new TorchOptimizer(Options(OptimizerKind.Adam, 0, null), layout, w);
        optimizer.Steps++;
        optimizer.Step(w, tensor(Gaussian(layout.Length, 2, 1), ScalarType.Float64), 0.01);
        Assert.True(optimizer.V.abs().sum().item<double>() > 0);
        optimizer.SwitchToSgd();
        Assert.Equal(OptimizerKind.Sgd, optimizer.Kind);
        Assert.Equal(0, optimizer.Steps);
        Assert.Equal(0, optimizer.M.abs().sum().item<double>());
        Assert.Equal(0, optimizer.V.abs().sum().item<double>());
    }
}
