using System.Globalization;
using PLaw.Laws.Forecast;

namespace PLaw.Laws.EarlyStopping;

/// <summary>
/// The stopping rule of asynchronous successive halving (ASHA; Li et al. 2020, "A System for Massively Parallel
/// Hyperparameter Tuning", MLSys, Algorithm 2): a run reaching a rung goes on only if it is among the top ⌊n/η⌋ of the n
/// runs that have reached that rung so far, itself included.
/// </summary>
/// <remarks>
/// ASHA proper promotes a configuration later, once enough others have reached its rung. A study's runs are already queued
/// and the one at the rung is training now, so it cannot wait: the decision is made at once, and with fewer than η runs at the
/// rung (nothing to compare against yet) the best so far goes on, the "at least one" below; the same choice as the stopping
/// form of ASHA in Ray Tune (AsyncHyperBandScheduler). Runs arriving later at a rung face a fuller, harder rung, so the first
/// runs of a grid are kept more often than the last: that is the price of not waiting.
/// Ties go on (a run is ranked by how many runs are strictly better).
/// </remarks>
public static class AshaRule
{
    /// <param name="value">The run's signal at the rung; not finite (a diverged run, a failed forecast) ranks last.</param>
    /// <param name="others">The signals of the other runs that have reached this rung (non-finite ones are ignored).</param>
    public static AshaDecision Decide(int rung, double value, IReadOnlyCollection<double> others, double eta, CurveDirection direction)
    {
        if (!(eta > 1)) throw new ArgumentOutOfRangeException(nameof(eta), eta, "η must be greater than 1.");
        var better = direction == CurveDirection.Rising ? (Func<double, double, bool>)((a, b) => a > b) : (a, b) => a < b;
        var all = others.Where(double.IsFinite).ToList();
        var finite = double.IsFinite(value);
        if (finite) all.Add(value);
        var reached = others.Count(double.IsFinite) + 1;
        var keep = Math.Max(1, (int)Math.Floor(reached / eta));
        var rank = finite ? 1 + others.Count(o => double.IsFinite(o) && better(o, value)) : reached;
        all.Sort((a, b) => better(a, b) ? -1 : better(b, a) ? 1 : 0);
        var cutoff = all.Count == 0 ? double.NaN : all[Math.Min(keep, all.Count) - 1];
        return new AshaDecision(rung, value, rank, reached, keep, cutoff, rank <= keep);
    }
}

/// <summary>
/// A run at a rung: its <see cref="Value"/>, its <see cref="Rank"/> among the <see cref="Reached"/> runs at the rung, how many
/// of them go on (<see cref="Keep"/>), the value of the last one kept (<see cref="Cutoff"/>), and whether it goes on.
/// </summary>
public sealed record AshaDecision(int Rung, double Value, int Rank, int Reached, int Keep, double Cutoff, bool Continue)
{
    public string Describe(string metric, AshaSignal signal, double eta)
    {
        var what = signal == AshaSignal.Forecast ? $"forecast final validation {metric}" : $"validation {metric}";
        var inv = CultureInfo.InvariantCulture;
        return $"rung at epoch {Rung}: {what} {Value.ToString("G4", inv)}, rank {Rank} of {Reached} runs at this rung; " +
               $"the top {Keep} (η = {eta.ToString("0.##", inv)}) go on, cut-off {Cutoff.ToString("G4", inv)}";
    }
}
