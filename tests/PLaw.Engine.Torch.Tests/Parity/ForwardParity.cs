using PLaw.Engine.Autograd;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Parity;

/// <summary>
/// The two backends on one batch, in float64 on CPU with dropout 0 and the same initial weights (the native initialiser
/// fills both): the hidden states [B·L, d], and the gradient of Σ r·h with a fixed random projection r, for every
/// parameter. Models are compared this way before any loss head is involved.
/// </summary>
public static partial class ForwardParity
{
    public sealed record Result(double[] NativeHidden, double[] TorchHidden, double[] NativeGradient, double[] TorchGradient,
        ParameterLayout Layout)
    {
        /// <summary>‖a − b‖ / max(‖a‖, tiny) over the hidden states.</summary>
        public double HiddenError => RelativeError(NativeHidden, TorchHidden);

        /// <summary>The worst relative (by norm) gradient error over the parameters, and which parameter.</summary>
        public (double Error, string Name) WorstGradient()
        {
            var worst = (0.0, "");
            foreach (var s in Layout.Slots)
            {
                var e = RelativeError(NativeGradient.AsSpan(s.Offset, s.Length), TorchGradient.AsSpan(s.Offset, s.Length));
                if (e > worst.Item1) worst = (e, s.Name);
            }
            return worst;
        }
    }

    public static double RelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double diff = 0, norm = 0;
        for (var i = 0; i < a.Length; i++)
        {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += Math.Max(a[i] * a[i], b[i] * b[i]);
        }
        return norm == 0 ? Math.Sqrt(diff) : Math.Sqrt(diff / norm);
    }

    /// <summary>
    /// Two left-padded windows of length L over items 1..itemCount with targets and one negative per position; times when
    /// <paramref name="times"/> (HSTU's time bias). The first window is half padding, the second full.
    /// </summary>
    public static SequenceBatch Batch(int length, int itemCount, bool times, int seed = 7)
    {
        var rng = new Rng((ulong)seed);
        var batch = new SequenceBatch(length);
        batch.Reset(2, 1);
        batch.HasTimes = times;
        for (var b = 0; b < 2; b++)
        {
            var first = b == 0 ? length / 2 : 0;
            for (var t = first; t < length; t++)
            {
                var r = b * length + t;
                batch.Inputs[r] = 1 + rng.NextInt(itemCount);
                batch.Targets[r] = 1 + rng.NextInt(itemCount);
                batch.Negatives[r] = 1 + rng.NextInt(itemCount);
                batch.InputTimes[r] = 1_000_000 + 3_600L * t * t + 86_400L * b;
                batch.TargetTimes[r] = 1_000_000 + 3_600L * (t + 1) * (t + 1) + 86_400L * b;
            }
        }
        return batch;
    }

    /// <summary>Runs both backends; norms and biases are moved off 1/0 so their gradients are exercised in general position.</summary>
    public static Result Run(RunOptions options, int itemCount, SequenceBatch batch)
    {
        options = options with { Dropout = 0 };
        var native = ModelFactory.Create<double>(options, itemCount);
        var store = new ParameterStore<double>(native.Layout);
        native.Initialize(store.Values, new Rng(3));
        var rng = new Rng(4);
        foreach (var s in native.Layout.Slots.Where(s => s.Rows == 1))
            for (var i = 0; i < s.Length; i++) store.Values[s.Offset + i] += 0.3 * rng.NextGaussian();

        var graph = new Graph<double>(store);
        native.Attach(graph);
        graph.Begin(training: true);
        var h = native.Forward(batch);
        var projection = new double[h.Length];
        var pr = new Rng(999);
        for (var i = 0; i < projection.Length; i++) projection[i] = pr.NextGaussian();
        var nativeHidden = h.Value.ToArray();
        projection.CopyTo(h.Gradient);
        graph.Tape.Backward();
        var nativeGradient = (double[])graph.Grads.Clone();

        using var scope = NewDisposeScope();
        using var model = TorchModelFactory.Create(options, itemCount, CPU, ScalarType.Float64);
        Assert.True(model.Layout.SameAs(native.Layout), "The torch model's parameter layout differs from the native one.");
        model.Load(store.Values);
        using var tb = new TorchBatch(batch, CPU);
        var th = model.Forward(tb, training: true);
        Assert.Equal([batch.Rows, options.Dim], th.shape);
        var r = tensor(projection, [batch.Rows, options.Dim], ScalarType.Float64);
        (th * r).sum().backward();
        var torchHidden = th.detach().contiguous().data<double>().ToArray();
        var torchGradient = model.Flat.grad!.data<double>().ToArray();
        return new Result(nativeHidden, torchHidden, nativeGradient, torchGradient, native.Layout);
    }
}
