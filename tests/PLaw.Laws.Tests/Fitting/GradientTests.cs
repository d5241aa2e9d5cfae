using PLaw.Laws.Fitting;
using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Tests.Fitting;

/// <summary>Each model's analytic gradient against central finite differences in double.</summary>
public sealed class GradientTests
{
    public static TheoryData<string> Models => ["performance", "joint", "lsrm", "kaplan", "chinchilla", "link"];

    private static (ILawModel Model, double[] X, double[] P) Case(string name) => name switch
    {
        "performance" => (PerformanceLawModel.Instance, [6, 48], [0.5, 1.0, -0.3, -0.15, 0.2, 50, 1.2]),
        "joint" => (JointPerformanceLawModel.Instance, [6, 48, 3e5], [0.5, 1.0, -0.3, -0.15, 0.2, 2e-4, 1.2]),
        "lsrm" => (LsrmModel.Instance, [2.5e6], [4.9, 6.8e5, 0.121]),
        "kaplan" => (KaplanModel.Instance, [3e6, 2e8], [8.8e7, 5.4e7, 0.076, 0.095]),
        "chinchilla" => (ChinchillaModel.Instance, [3e6, 2e8], [1.69, 406.4, 410.7, 0.34, 0.28]),
        "link" => (LinearLinkModel.Instance, [5.3], [0.9, 0.12]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(Models))]
    public void AnalyticGradientMatchesFiniteDifferences(string name)
    {
        var (model, x, p) = Case(name);
        var analytic = new double[p.Length];
        model.Gradient(x, p, analytic);
        for (var j = 0; j < p.Length; j++)
        {
            var h = 1e-6 * Math.Max(Math.Abs(p[j]), 1e-3);
            var plus = (double[])p.Clone();
            var minus = (double[])p.Clone();
            plus[j] += h;
            minus[j] -= h;
            var numeric = (model.Value(x, plus) - model.Value(x, minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[j]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"{model.Parameters[j].Name}: analytic {analytic[j]:G10}, numeric {numeric:G10}");
        }
    }
}
