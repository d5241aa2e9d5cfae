using PLaw.Laws.EarlyStopping;
using PLaw.Laws.Forecast;

namespace PLaw.Laws.Tests.EarlyStopping;

public sealed class AshaRuleTests
{
    /// <summary>
    /// A study's runs replayed through the rule as the worker meets them: one after the other, each through its rungs in turn,
    /// compared at each rung with the runs that reached it before. Returns, per run, the rung it was stopped at (null: it
    /// reached its last epoch).
    /// </summary>
    private static int?[] Replay(IReadOnlyList<Func<int, double>> curves, AshaSettings settings, int lastEpoch, int evalEvery = 1)
    {
        var reached = settings.Rungs.ToDictionary(r => r, _ => new List<double>());
        var stopped = new int?[curves.Count];
        for (var i = 0; i < curves.Count; i++)
        {
            var curve = Enumerable.Range(1, lastEpoch).Where(e => e % evalEvery == 0).Select(e => ((double)e, curves[i](e))).ToList();
            foreach (var rung in settings.Rungs)
            {
                var value = AshaSignals.Value(curve, rung, lastEpoch, settings.Signal, settings.Direction);
                var decision = AshaRule.Decide(rung, value, reached[rung], settings.Eta, settings.Direction);
                reached[rung].Add(value);
                if (decision.Continue) continue;
                stopped[i] = rung;
                break;
            }
        }
        return stopped;
    }

    private static Func<int, double> Table(double r2, double r4, double r8) => e => e switch { 2 => r2, 4 => r4, 8 => r8, _ => double.NaN };

    [Fact]
    public void PlantedGridKeepsItsBestRunAndStopsEachOtherAtTheRungWorkedOutByHand()
    {
        // η = 3, rungs 2, 4, 8; a run goes on when its rank among the n runs at the rung is at most max(1, ⌊n/3⌋).
        var runs = new[]
        {
            Table(0.10, 0.20, 0.30), // first everywhere: nothing to compare with, goes on to the end
            Table(0.12, 0.15, 0.18), // rung 2: 1st of 2 (keep 1), on; rung 4: 2nd of 2, stopped
            Table(0.05, 0.06, 0.07), // rung 2: 3rd of 3, stopped
            Table(0.20, 0.30, 0.50), // the planted best, best at every rung: 1st of 4, 1st of 3, 1st of 2
            Table(0.25, 0.26, 0.27), // rung 2: 1st of 5, on; rung 4: 3rd of 4 (keep 1), stopped
            Table(0.30, 0.35, 0.45), // rung 2: 1st of 6 (keep 2); rung 4: 1st of 5 (keep 1); rung 8: 2nd of 3 (keep 1), stopped
        };
        var stopped = Replay(runs, new AshaSettings { Rungs = [2, 4, 8], Eta = 3 }, lastEpoch: 16);
        Assert.Equal(new int?[] { null, 4, 2, null, 4, 8 }, stopped);
    }

    /// <summary>12 configurations × 2 seeds, y = y∞ − 0.1·t^(−0.7) + noise; configuration 7 has the highest y∞ by more than the noise,
    /// the others' y∞ are 0.012 apart (four noise deviations).</summary>
    [Fact]
    public void PlantedBestConfigurationSurvivesEveryArrivalOrder()
    {
        const int best = 7;
        var random = new Random(11);
        var grid = Enumerable.Range(0, 12).SelectMany(c => Enumerable.Range(0, 2).Select(seed =>
        {
            var yInf = c == best ? 0.40 : 0.20 + 0.012 * c;
            var noise = Enumerable.Range(0, 17).Select(_ => 0.003 * Synthetic.Gaussian(random)).ToArray();
            return (Config: c, Curve: (Func<int, double>)(e => yInf - 0.1 * Math.Pow(e, -0.7) + noise[e]));
        })).ToList();
        var settings = new AshaSettings { Rungs = AshaSettings.GeometricRungs(2, 2, 16), Eta = 2 };
        Assert.Equal([2, 4, 8], settings.Rungs);
        for (var order = 0; order < 50; order++)
        {
            var shuffled = grid.OrderBy(_ => random.Next()).ToList();
            var stopped = Replay(shuffled.Select(r => r.Curve).ToList(), settings, 16);
            // Its two seeds compete with each other too, so one may stop at a late rung; the configuration is kept when a seed
            // reaches the last epoch, and it is then the best of those that did.
            var finished = shuffled.Where((_, i) => stopped[i] is null).ToList();
            Assert.Contains(finished, r => r.Config == best);
            Assert.Equal(best, finished.MaxBy(r => r.Curve(16)).Config);
            // It is a halving: well over half of the grid stops somewhere.
            Assert.True(stopped.Count(s => s is not null) >= shuffled.Count / 2, $"order {order}: only {stopped.Count(s => s is not null)} stopped");
        }
    }

    /// <summary>
    /// The best configuration starts slowest: y = 0.5 − 1.2/t against y∞ = 0.20 … 0.30 − 0.1/t for the others. At epoch 4 it
    /// is behind most of them, so the current value stops it; its forecast at epoch 32 (0.4625) is far ahead, so the forecast
    /// signal keeps it.
    /// </summary>
    [Fact]
    public void ForecastSignalKeepsASlowStartingBestRunThatTheCurrentValueStops()
    {
        var curves = Enumerable.Range(0, 11).Select(i => (Func<int, double>)(e => 0.20 + 0.01 * i - 0.1 / e)).ToList();
        curves.Add(e => 0.5 - 1.2 / e);
        var current = Replay(curves, new AshaSettings { Rungs = [4, 8], Eta = 3 }, 32);
        var forecast = Replay(curves, new AshaSettings { Rungs = [4, 8], Eta = 3, Signal = AshaSignal.Forecast }, 32);
        Assert.Equal(4, current[^1]);
        Assert.Null(forecast[^1]);
    }

    [Fact]
    public void DecisionNamesRankCountAndCutoff()
    {
        var decision = AshaRule.Decide(4, 0.10, [0.30, 0.20, 0.05, 0.15, 0.25], 3, CurveDirection.Rising);
        Assert.Equal((5, 6, 2, 0.25, false), (decision.Rank, decision.Reached, decision.Keep, decision.Cutoff, decision.Continue));
        Assert.Contains("rank 5 of 6", decision.Describe("NDCG@10", AshaSignal.Current, 3));
        Assert.Contains("cut-off 0.25", decision.Describe("NDCG@10", AshaSignal.Current, 3));
        // A loss: lower is better.
        var loss = AshaRule.Decide(4, 1.0, [2.0, 3.0], 3, CurveDirection.Falling);
        Assert.True(loss.Continue);
        Assert.Equal(1, loss.Rank);
    }

    [Fact]
    public void SettingsNameWhatIsWrong()
    {
        var problems = new AshaSettings { Metric = "NDCG@7", Rungs = [4, 2, 16], Eta = 1 }.Problems(epochs: 16, evalEvery: 2);
        Assert.Contains(problems, p => p.Field == "metric" && p.Problem.Contains("NDCG@7"));
        Assert.Contains(problems, p => p.Field == "eta");
        Assert.Contains(problems, p => p.Field == "rungs" && p.Problem.Contains("must increase"));
        Assert.Contains(problems, p => p.Field == "rungs" && p.Problem.Contains("not before the last epoch"));
        Assert.Contains(new AshaSettings { Rungs = [3] }.Problems(16, 2), p => p.Problem.Contains("no validation evaluation"));
        Assert.Contains(new AshaSettings { Rungs = [2, 8], Signal = AshaSignal.Forecast }.Problems(16, 1), p => p.Problem.Contains("at least 4"));
        Assert.Empty(new AshaSettings { Rungs = [2, 4, 8] }.Problems(16, 2));
        Assert.Equal([1, 3, 9], AshaSettings.GeometricRungs(1, 3, 16));
    }
}
