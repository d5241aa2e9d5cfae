using System.Globalization;

namespace PLaw.Engine.Challenges.Study;

/// <summary>One sentence of the summary: about a family (<see cref="Challenge"/> null: its headline) or one challenge of it.</summary>
public sealed record SummaryLine(string Family, string? Challenge, string Text);

/// <summary>
/// Does size pay off here? In plain words, per family: from its smallest to its largest size, which challenge accuracy rises
/// most (the headline), then per challenge the setting that gains most and the one that gains least. The headline compares
/// the accuracy metrics only (NDCG@10 of long tail, cold start and multi-domain, and TR@10), which share a unit; robustness
/// (a relative drop) gets its own line. Honest when a family has one size, or when nothing improves.
/// </summary>
public static class StudySummary
{
    public static IReadOnlyList<SummaryLine> Of(IReadOnlyCollection<SizedReport> runs, IReadOnlyList<SizeSeries> series)
    {
        var lines = new List<SummaryLine>();
        if (runs.Count == 0)
        {
            lines.Add(new SummaryLine("", null, "No run of the study has a challenge report yet, so there is nothing to compare."));
            return lines;
        }
        foreach (var family in runs.GroupBy(r => r.Family).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var name = family.Key;
            var sizes = family.Select(r => r.Size).Distinct().Order().ToList();
            if (sizes.Count == 1)
            {
                lines.Add(new SummaryLine(name, null, $"{name}: one size only ({ParameterCount.Format(sizes[0])} non-embedding parameters, " +
                    $"{Runs(family.Count())}), so whether size pays off cannot be judged here; add smaller or larger {name} runs."));
                continue;
            }
            var mine = series.Where(s => s.Family == name && s.Gain is not null).ToList();
            var accuracy = mine.Where(IsHeadline).ToList();
            var range = $"{ParameterCount.Format(sizes[0])} → {ParameterCount.Format(sizes[^1])} non-embedding parameters, {sizes.Count} sizes";
            if (accuracy.Count == 0)
                lines.Add(new SummaryLine(name, null, $"{name} ({range}): its sizes have no challenge accuracy in common to compare."));
            else
            {
                var best = accuracy.MaxBy(s => s.Gain!.Value)!;
                lines.Add(new SummaryLine(name, null, best.Gain > 0
                    ? $"From the smallest to the largest {name} ({range}), {best.Measure.Metric} {best.Measure.Described} rises most: {Change(best)}."
                    : $"From the smallest to the largest {name} ({range}), no challenge accuracy rises: size does not pay off here " +
                      $"(closest: {best.Measure.Metric} {best.Measure.Described}, {Signed(best.Gain!.Value)})."));
            }
            foreach (var challenge in ChallengeMeasure.Challenges)
            {
                var settings = mine.Where(s => s.Measure.Challenge == challenge && s.Measure.Metric == LineMetric(challenge)).ToList();
                if (settings.Count == 0) continue;
                lines.Add(new SummaryLine(name, challenge, $"{challenge}: {ChallengeLine(settings)}"));
            }
        }
        return lines;
    }

    private static bool IsHeadline(SizeSeries s) => s.Measure.Metric == LineMetric(s.Measure.Challenge) && s.Measure.HigherIsBetter &&
                                                    (s.Measure.Challenge != ChallengeMeasure.Trajectory || s.Measure.Setting == ChallengeMeasure.AllPositions);

    /// <summary>The metric a challenge's line speaks of.</summary>
    private static string LineMetric(string challenge) => challenge switch
    {
        ChallengeMeasure.Robustness => ChallengeMeasure.NdcgDrop,
        ChallengeMeasure.Trajectory => ChallengeMeasure.TrajectoryRate,
        _ => ChallengeMeasure.Ndcg,
    };

    private static string ChallengeLine(IReadOnlyList<SizeSeries> settings)
    {
        var best = settings.MaxBy(s => s.Gain!.Value)!;
        var worst = settings.MinBy(s => s.Gain!.Value)!;
        var drop = !best.Measure.HigherIsBetter;
        if (best.Gain <= 0 && settings.Count == 1)
            return drop
                ? $"the relative {best.Measure.Metric.Replace(" drop", "", StringComparison.Ordinal)} drop {best.Measure.Described} does not shrink with size: {Change(best)}."
                : $"{best.Measure.Metric} {best.Measure.Described} does not rise with size: {Change(best)}.";
        if (best.Gain <= 0)
            return drop
                ? $"the relative {best.Measure.Metric.Replace(" drop", "", StringComparison.Ordinal)} drop does not shrink with size under any perturbation (closest: {best.Measure.Setting}, {Change(best)})."
                : $"{best.Measure.Metric} does not rise with size in any setting (closest: {best.Measure.Described}, {Change(best)}).";
        var text = drop
            ? $"the relative {best.Measure.Metric.Replace(" drop", "", StringComparison.Ordinal)} drop {best.Measure.Described} shrinks most: {Change(best)}"
            : $"{best.Measure.Metric} gains most {best.Measure.Described}: {Change(best)}";
        if (!ReferenceEquals(best, worst))
            text += drop ? $"; least {worst.Measure.Described}: {Change(worst)}" : $"; least {worst.Measure.Described}: {Signed(worst.Gain!.Value)}";
        return text + ".";
    }

    /// <summary>"0.069 → 0.100 (+0.031, +45 %)"; for a drop "30.1 % → 22.0 % (8.1 points smaller)".</summary>
    private static string Change(SizeSeries s)
    {
        var (small, large) = s.Ends!.Value;
        if (!s.Measure.HigherIsBetter)
        {
            var points = s.Gain!.Value * 100;
            return $"{Percent(small.Value!.Value)} → {Percent(large.Value!.Value)} " +
                   (points >= 0 ? $"({P1(points)} points smaller)" : $"({P1(-points)} points larger)");
        }
        var relative = s.RelativeGain is { } r ? $", {(r >= 0 ? "+" : "-")}{Math.Abs(r * 100).ToString("0", CultureInfo.InvariantCulture)} %" : "";
        return $"{F3(small.Value!.Value)} → {F3(large.Value!.Value)} ({Signed(s.Gain!.Value)}{relative})";
    }

    private static string Runs(int n) => n == 1 ? "1 run" : $"{n} runs";
    private static string F3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
    private static string P1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    private static string Percent(double v) => $"{P1(v * 100)} %";
    private static string Signed(double v) => (v >= 0 ? "+" : "-") + F3(Math.Abs(v));
}
