using PLaw.Engine.Optim;
using PLaw.Engine.Training;

namespace PLaw.Engine.Tests.Training;

/// <summary>
/// Clipping by global norm, as the trainer runs it. With plain SGD (momentum buffer 0 on the first step) one step
/// moves the weights by Δw = −lr·g, so the unclipped step reveals g and ‖g‖, and the clipped step must be exactly
/// Δw·c/(‖g‖ + 1e-6) when ‖g‖ &gt; c, and Δw itself when not.
/// </summary>
public sealed class GradientClippingTests
{
    private const double LearningRate = 0.1;

    private static RunOptions Options(double? clip) => new()
    {
        Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, Dropout = 0.2, BatchSize = 16, Threads = 2, Seed = 3, Epochs = 1,
        Optimizer = OptimizerKind.Sgd, Momentum = 0, LearningRate = LearningRate, ClipNorm = clip,
    };

    /// <summary>Weight change of the first optimiser step, in double, and the session's reported norm.</summary>
    private static (double[] Delta, double? Norm) FirstStep(double? clip)
    {
        using var session = new TrainingSession(Options(clip), TestData.Walks());
        var before = (float[])session.Parameters.Values.Clone();
        session.TrainStep();
        var delta = session.Parameters.Values.Select((w, i) => (double)w - before[i]).ToArray();
        return (delta, session.LastGradientNorm);
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    [Fact]
    public void TheTrainerScalesTheSummedGradientsToTheClipNorm()
    {
        var (free, freeNorm) = FirstStep(clip: null);
        Assert.Null(freeNorm);
        var norm = Norm(free) / LearningRate; // ‖g‖ over every parameter, both workers' gradients summed
        Assert.True(norm > 0.05, $"gradient norm {norm}");
        var clip = norm / 4;
        var (clipped, reported) = FirstStep(clip);
        Assert.Equal(norm, reported!.Value, norm * 1e-4);
        var factor = clip / (norm + 1e-6);
        var tolerance = 1e-3 * factor * free.Max(Math.Abs); // Δw is a difference of float weights: a few ulps of |w|
        for (var i = 0; i < free.Length; i++) Assert.Equal(free[i] * factor, clipped[i], tolerance);
        Assert.Equal(clip, Norm(clipped) / LearningRate, clip * 1e-3);
    }

    [Fact]
    public void AClipNormAboveTheGradientNormChangesNothing()
    {
        var (free, _) = FirstStep(clip: null);
        var (loose, reported) = FirstStep(clip: 1e6);
        Assert.True(reported > 0);
        Assert.Equal(free, loose);
    }

    [Fact]
    public void TheFactorIsClipOverNormPlusEpsilonOnlyAboveTheClip()
    {
        Assert.Equal(1 / (5 + 1e-6), Optimizer.ClipFactor(5, 1), 15);
        Assert.Equal(1, Optimizer.ClipFactor(1, 1));
        Assert.Equal(1, Optimizer.ClipFactor(0.5, 1));
        Assert.Equal(1, Optimizer.ClipFactor(0, 1));
    }

    [Fact]
    public void ClippingByRangesEqualsClippingTheWholeArray()
    {
        // The trainer sums Σg² over worker ranges, takes one factor and scales each range; ClipNorm does it in one go.
        // g = (3, 4, 0, 12): ‖g‖ = 13, clip 6.5 → factor 6.5 / (13 + 1e-6).
        float[] whole = [3, 4, 0, 12], ranges = [3, 4, 0, 12];
        Assert.Equal(13, Optimizer.ClipNorm(whole, 6.5), 6);
        var norm = Math.Sqrt(Optimizer.SumOfSquares(ranges.AsSpan(0, 2)) + Optimizer.SumOfSquares(ranges.AsSpan(2, 2)));
        var factor = Optimizer.ClipFactor(norm, 6.5);
        Optimizer.Scale(ranges.AsSpan(0, 2), factor);
        Optimizer.Scale(ranges.AsSpan(2, 2), factor);
        Assert.Equal(whole, ranges);
        var expected = 6.5 / (13 + 1e-6);
        double[] hand = [3 * expected, 4 * expected, 0, 12 * expected];
        for (var i = 0; i < 4; i++) Assert.Equal(hand[i], whole[i], 1e-6);
    }
}
