using System.Globalization;
using PLaw.Laws.Forecast;

namespace PLaw.Laws.EarlyStopping;

/// <summary>What a rung compares: the validation metric at the rung, or its forecast at the run's last epoch.</summary>
public enum AshaSignal
{
    Current,
    Forecast,
}

/// <summary>
/// A study's early-stopping settings: at each rung (an epoch with a validation evaluation) a run continues only if its
/// validation <see cref="Metric"/> (or the forecast of it, <see cref="Signal"/>) is in the top 1/<see cref="Eta"/> of the
/// runs of the study that have reached that rung so far (<see cref="AshaRule"/>).
/// </summary>
public sealed record AshaSettings
{
    public const double DefaultEta = 3;
    /// <summary>The metrics the trainer's evaluation reports (HR@K, NDCG@K for K in 10, 50, 200; MRR; loss).</summary>
    public static readonly IReadOnlyList<string> Metrics = ["NDCG@10", "NDCG@50", "NDCG@200", "HR@10", "HR@50", "HR@200", "MRR", "loss"];

    /// <summary>A validation metric name as the evaluator reports it, e.g. "NDCG@10".</summary>
    public string Metric { get; init; } = "NDCG@10";
    /// <summary>Epochs at which runs are compared, increasing, each before the last epoch.</summary>
    public int[] Rungs { get; init; } = [];
    /// <summary>The reduction factor η &gt; 1: about 1/η of the runs reaching a rung go on.</summary>
    public double Eta { get; init; } = DefaultEta;
    public AshaSignal Signal { get; init; } = AshaSignal.Current;

    /// <summary>Higher is better for every ranking metric, lower for a loss.</summary>
    public CurveDirection Direction => CurveDirections.Of(Metric);

    /// <summary>
    /// The geometric rungs of successive halving (Jamieson &amp; Talwalkar 2016; Li et al. 2020 §3): r·η^k epochs for
    /// k = 0, 1, … while before the last epoch, each rounded to a whole epoch.
    /// </summary>
    public static int[] GeometricRungs(int minEpoch, double eta, int epochs)
    {
        if (minEpoch < 1) throw new ArgumentOutOfRangeException(nameof(minEpoch), minEpoch, "The first rung must be at epoch 1 or later.");
        if (!(eta > 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "η must be greater than 1.");
        var rungs = new List<int>();
        for (double r = minEpoch; r < epochs; r *= eta)
        {
            var epoch = (int)Math.Round(r, MidpointRounding.AwayFromZero);
            if (epoch < epochs && (rungs.Count == 0 || epoch > rungs[^1])) rungs.Add(epoch);
        }
        return rungs.ToArray();
    }

    /// <summary>
    /// What is wrong with these settings for runs of <paramref name="epochs"/> epochs evaluated every
    /// <paramref name="evalEvery"/> epochs, each keyed by the field it concerns ("metric", "rungs", "eta").
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Problems(int epochs, int evalEvery)
    {
        var problems = new List<(string, string)>();
        if (!Metrics.Contains(Metric))
            problems.Add(("metric", $"'{Metric}' is not a metric the evaluation reports; expected one of {string.Join(", ", Metrics)}."));
        if (!(Eta > 1) || !double.IsFinite(Eta))
            problems.Add(("eta", $"η must be a number greater than 1 (about 1/η of the runs go on at each rung); got {Eta.ToString(CultureInfo.InvariantCulture)}."));
        if (Rungs.Length == 0)
            problems.Add(("rungs", $"at least one rung (an epoch before the last, {epochs}) is needed."));
        for (var i = 0; i < Rungs.Length; i++)
        {
            var rung = Rungs[i];
            if (rung < 1) problems.Add(("rungs", $"rung {rung} is not a positive epoch."));
            else if (rung >= epochs) problems.Add(("rungs", $"rung {rung} is not before the last epoch ({epochs}); a rung there would stop nothing."));
            else if (rung % Math.Max(1, evalEvery) != 0)
                problems.Add(("rungs", $"rung {rung} has no validation evaluation: runs evaluate every {evalEvery} epochs (set eval-every to 1 or a divisor of each rung)."));
            if (i > 0 && rung <= Rungs[i - 1]) problems.Add(("rungs", $"rungs must increase: {Rungs[i - 1]} then {rung}."));
        }
        if (Signal == AshaSignal.Forecast && Rungs.Length > 0 && Rungs[0] / Math.Max(1, evalEvery) < AshaSignals.MinimumEvaluations)
            problems.Add(("rungs", $"the forecast signal needs at least {AshaSignals.MinimumEvaluations} validation evaluations by the first rung; " +
                                   $"rung {Rungs[0]} has {Rungs[0] / Math.Max(1, evalEvery)} (evaluating every {evalEvery} epochs)."));
        return problems;
    }

    /// <summary>One line for logs and tables: "NDCG@10 at epochs 2, 4, 8, η = 3, current value".</summary>
    public string Describe() =>
        $"{Metric} at epochs {string.Join(", ", Rungs)}, η = {Eta.ToString("0.##", CultureInfo.InvariantCulture)}, " +
        (Signal == AshaSignal.Forecast ? "forecast final value" : "current value");
}
