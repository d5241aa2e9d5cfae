using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using PLaw.Laws.Fitting;
using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Tests.Fitting;

/// <summary>The compact Levenberg–Marquardt against MathNet's <see cref="LevenbergMarquardtMinimizer"/> on the same problem.</summary>
public sealed class MathNetReferenceTests
{
    [Fact]
    public void CompactLmReachesTheSameLsrmOptimumAsMathNet()
    {
        var truth = new LsrmParameters(4.9, 6.8e5, 0.121);
        var random = new Random(5);
        var sizes = Enumerable.Range(0, 10).Select(i => Math.Pow(10, 4.5 + i * 0.35)).ToArray();
        var losses = sizes.Select(n => truth.Loss(n) + 0.002 * Synthetic.Gaussian(random)).ToArray();
        var (ours, fit) = ScalingFit.Lsrm(sizes.Select((n, i) => new ScalingPoint(n, losses[i])).ToList());

        // MathNet on the same residuals, parameters (E, ln N0, alpha), started at our start grid's typical point.
        var model = LsrmModel.Instance;
        var objective = ObjectiveFunction.NonlinearModel(
            (Vector<double> p, Vector<double> x) => Vector<double>.Build.Dense(x.Count, i => LsrmLaw.Loss(x[i], p[0], Math.Exp(p[1]), p[2])),
            Vector<double>.Build.DenseOfArray(sizes), Vector<double>.Build.DenseOfArray(losses));
        var result = new LevenbergMarquardtMinimizer(maximumIterations: 10_000)
            .FindMinimum(objective, Vector<double>.Build.DenseOfArray([4.0, Math.Log(1e6), 0.15]));
        var theirs = result.MinimizingPoint;
        var theirSse = losses.Select((l, i) => Math.Pow(l - LsrmLaw.Loss(sizes[i], theirs[0], Math.Exp(theirs[1]), theirs[2]), 2)).Sum();

        Assert.True(fit.Sse <= theirSse * (1 + 1e-6), $"ours {fit.Sse:G8}, MathNet {theirSse:G8}");
        Assert.Equal(theirs[2], ours.Alpha, 3);
        Assert.Equal(theirs[0], ours.E, 2);
        Assert.Equal(3, model.Parameters.Count);
    }
}
