namespace PLaw.Engine.Challenges.Study;

/// <summary>
/// One number a challenge report holds, named by its challenge, metric and setting (a popularity group, an input length, a
/// perturbation, a trajectory position, a domain class), with which direction is better and how to read it from a report.
/// </summary>
public sealed class ChallengeMeasure(string challenge, string metric, string setting, bool higherIsBetter, Func<ChallengeReport, double?> read)
{
    public const string LongTail = "Long tail";
    public const string ColdStart = "Cold start";
    public const string Robustness = "Robustness";
    public const string Trajectory = "Trajectory";
    public const string MultiDomain = "Multi-domain";

    public const string Ndcg = "NDCG@10";
    public const string HitRate = "HR@10";
    public const string Coverage = "Coverage@10";
    public const string NdcgDrop = "NDCG@10 drop";
    public const string HitRateDrop = "HR@10 drop";
    public const string TrajectoryRate = "TR@10";
    public const string PositionRate = "TR@10 by position";

    /// <summary>The setting of <see cref="TrajectoryRate"/>: all k positions together.</summary>
    public const string AllPositions = "all positions";

    public static readonly string[] Challenges = [LongTail, ColdStart, Robustness, Trajectory, MultiDomain];

    public string Challenge => challenge;
    public string Metric => metric;
    public string Setting => setting;

    /// <summary>False for the robustness drops: a smaller relative drop is better.</summary>
    public bool HigherIsBetter => higherIsBetter;

    public double? Read(ChallengeReport report) => read(report);

    /// <summary>Where the measure is taken, in words that follow the metric's name (e.g. "on G4 (the rarest items)").</summary>
    public string Described => (challenge, setting) switch
    {
        (LongTail, "G1") => "on G1 (the most popular items)",
        (LongTail, "G4") => "on G4 (the rarest items)",
        (LongTail, var g) => $"on {g}",
        (ColdStart, var n) => $"for new users given their last {n} interactions",
        (Robustness, var s) => $"under {s}",
        (Trajectory, AllPositions) => "over all generated positions",
        (Trajectory, var s) => $"at {s}",
        (_, var c) => $"on {c} cases",
    };

    public override string ToString() => $"{challenge}: {metric}, {setting}";

    /// <summary>
    /// Every measure the given reports hold, in a fixed order: long tail (NDCG@10, HR@10 per group), cold start (NDCG@10, HR@10,
    /// Coverage@10 per input length), robustness (relative NDCG@10 and HR@10 drop per perturbation and p), trajectory (TR@10,
    /// then the rate at each position), multi-domain (NDCG@10, HR@10 per class, when the dataset has domains).
    /// </summary>
    public static IReadOnlyList<ChallengeMeasure> Of(IReadOnlyCollection<ChallengeReport> reports)
    {
        var measures = new List<ChallengeMeasure>();
        foreach (var group in reports.SelectMany(r => r.LongTail?.Groups ?? []).Select(g => g.Group).Distinct().Order(StringComparer.Ordinal))
        {
            measures.Add(new(LongTail, Ndcg, group, true, r => r.LongTail?.Groups.FirstOrDefault(g => g.Group == group)?.Ndcg10));
            measures.Add(new(LongTail, HitRate, group, true, r => r.LongTail?.Groups.FirstOrDefault(g => g.Group == group)?.HitRate10));
        }
        foreach (var length in reports.SelectMany(r => r.ColdStart is { Available: true } c ? c.Lengths : []).Select(l => l.Length).Distinct().Order())
        {
            var name = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ColdStartLength? At(ChallengeReport r) => r.ColdStart is { Available: true } c ? c.Lengths.FirstOrDefault(l => l.Length == length) : null;
            measures.Add(new(ColdStart, Ndcg, name, true, r => At(r)?.Ndcg10));
            measures.Add(new(ColdStart, HitRate, name, true, r => At(r)?.HitRate10));
            measures.Add(new(ColdStart, Coverage, name, true, r => At(r)?.Coverage10));
        }
        foreach (var (kind, p) in reports.SelectMany(r => r.Robustness?.Perturbations ?? []).Select(p => (p.Kind, p.P)).Distinct()
                     .OrderBy(x => x.Kind, StringComparer.Ordinal).ThenBy(x => x.P))
        {
            var name = $"{kind} p={p.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture)}";
            PerturbationResult? At(ChallengeReport r) => r.Robustness?.Perturbations.FirstOrDefault(x => x.Kind == kind && x.P == p);
            measures.Add(new(Robustness, NdcgDrop, name, false, r => At(r)?.NdcgDrop));
            measures.Add(new(Robustness, HitRateDrop, name, false, r => At(r)?.HitRateDrop));
        }
        if (reports.Any(r => r.Trajectory is not null))
        {
            measures.Add(new(Trajectory, TrajectoryRate, AllPositions, true, r => r.Trajectory?.TR));
            var k = reports.Max(r => r.Trajectory?.PositionHitRate.Length ?? 0);
            for (var j = 0; j < k; j++)
            {
                var at = j;
                measures.Add(new(Trajectory, PositionRate, $"position {j + 1}", true,
                    r => r.Trajectory is { } t && at < t.PositionHitRate.Length && t.Users > 0 ? t.PositionHitRate[at] : null));
            }
        }
        foreach (var @class in reports.SelectMany(r => r.MultiDomain is { Available: true } m ? m.Classes : []).Select(c => c.Class).Distinct())
        {
            DomainClassResult? At(ChallengeReport r) => r.MultiDomain is { Available: true } m ? m.Classes.FirstOrDefault(c => c.Class == @class) : null;
            measures.Add(new(MultiDomain, Ndcg, @class, true, r => At(r)?.Ndcg10));
            measures.Add(new(MultiDomain, HitRate, @class, true, r => At(r)?.HitRate10));
        }
        return measures;
    }
}
