using PLaw.Engine.Challenges;
using PLaw.Engine.Challenges.Study;

namespace PLaw.Engine.Tests.Challenges.Study;

/// <summary>
/// A hand-computed study: SASRec at 1K non-embedding parameters (1 × 8, two seeds) and 4K (2 × 16, one seed), HSTU at one size,
/// and LLaMA whose larger size is worse everywhere. Seeds of one shape are averaged; the summary names the largest gain.
/// </summary>
public sealed class StudyChallengeViewTests
{
    /// <summary>A report with long-tail NDCG@10 per group (HR@10 = twice it), cold-start NDCG@10 at n = 5 and 10, the relative
    /// NDCG@10 drop under replace and remove at p = 0.1, and TR@10 over two positions; a null argument leaves its task out.</summary>
    private static ChallengeReport Report(double[] longTail, double[]? cold = null, (double Replace, double Remove)? drops = null, double[]? positions = null) => new()
    {
        Model = "m", Items = 16, ScoredUsers = 10, UsersScored = 10,
        LongTail = new LongTailResult("g", longTail.Select((v, i) => new PopularityGroupResult($"G{i + 1}", 4, 0, 0, 3, 2 * v, v)).ToList()),
        ColdStart = cold is null ? null : new ColdStartResult(true, null, 0.2, 5,
            [new ColdStartLength(5, 5, 5, 0, 2 * cold[0], cold[0], 0.5), new ColdStartLength(10, 10, 5, 1, 2 * cold[1], cold[1], 0.6)]),
        Robustness = drops is not { } d ? null : new RobustnessResult(10, 0.4, 0.2,
            [new PerturbationResult("replace", 0.1, 0.3, 0.1, 0.25, d.Replace), new PerturbationResult("remove", 0.1, 0.3, 0.1, 0.25, d.Remove)]),
        Trajectory = positions is null ? null : new TrajectoryResult(2, "new users", 5, positions.Average(), positions, [0, 0], "TR"),
    };

    private static readonly SizedReport[] Runs =
    [
        new(1, "sasrec-small-s1", "SASRec", 1000, 1, 8, Report([0.30, 0.20, 0.10, 0.04], [0.05, 0.08], (0.30, 0.10), [0.03, 0.01])),
        new(2, "sasrec-small-s2", "SASRec", 1000, 1, 8, Report([0.34, 0.22, 0.10, 0.06], [0.07, 0.10], (0.20, 0.10), [0.05, 0.03])),
        new(3, "sasrec-large", "SASRec", 4000, 2, 16, Report([0.33, 0.25, 0.16, 0.12], [0.10, 0.11], (0.10, 0.12), [0.06, 0.04])),
        new(4, "hstu", "HSTU", 2000, 1, 8, Report([0.30, 0.20, 0.10, 0.05], [0.05, 0.08], (0.30, 0.10), [0.03, 0.01])),
        new(5, "llama-small", "LLaMA", 1500, 1, 8, Report([0.20, 0.20, 0.20, 0.20])),
        new(6, "llama-large", "LLaMA", 6000, 2, 16, Report([0.19, 0.18, 0.17, 0.16])),
    ];

    [Fact]
    public void SeedsOfAShapeAreAveragedAndPointsOrderedBySize()
    {
        var view = StudyChallengeView.Of(Runs.AsEnumerable().Reverse());
        Assert.Equal([4, 5, 6, 1, 2, 3], view.Runs.Select(r => r.RunId)); // HSTU, LLaMA, SASRec (ordinal), then size
        var g4 = view.For(ChallengeMeasure.LongTail, ChallengeMeasure.Ndcg).Single(s => s.Family == "SASRec" && s.Measure.Setting == "G4");
        Assert.Equal([1000L, 4000], g4.Points.Select(p => p.Size));
        Assert.Equal([2, 1], g4.Points.Select(p => p.Runs));
        Assert.Equal(0.05, g4.Points[0].Value!.Value, 12);
        Assert.Equal(0.12, g4.Points[1].Value!.Value, 12);
        Assert.Equal(0.07, g4.Gain!.Value, 12);
        Assert.Equal(1.4, g4.RelativeGain!.Value, 12);

        var hr = view.For(ChallengeMeasure.LongTail, ChallengeMeasure.HitRate).Single(s => s.Family == "SASRec" && s.Measure.Setting == "G4");
        Assert.Equal(0.14, hr.Gain!.Value, 12);

        // A drop is better smaller: its gain is how much it shrank.
        var replace = view.For(ChallengeMeasure.Robustness, ChallengeMeasure.NdcgDrop).Single(s => s.Family == "SASRec" && s.Measure.Setting == "replace p=0.1");
        Assert.False(replace.Measure.HigherIsBetter);
        Assert.Equal(0.25, replace.Points[0].Value!.Value, 12);
        Assert.Equal(0.15, replace.Gain!.Value, 12);
        var remove = view.For(ChallengeMeasure.Robustness, ChallengeMeasure.NdcgDrop).Single(s => s.Family == "SASRec" && s.Measure.Setting == "remove p=0.1");
        Assert.Equal(-0.02, remove.Gain!.Value, 12);

        var cold = view.For(ChallengeMeasure.ColdStart, ChallengeMeasure.Coverage).Where(s => s.Family == "SASRec").ToList();
        Assert.Equal(["5", "10"], cold.Select(s => s.Measure.Setting));
        Assert.Equal(["position 1", "position 2"],
            view.For(ChallengeMeasure.Trajectory, ChallengeMeasure.PositionRate).Where(s => s.Family == "SASRec").Select(s => s.Measure.Setting));

        // One size: nothing to compare. No report has domains: no multi-domain series.
        Assert.All(view.Series.Where(s => s.Family == "HSTU"), s => Assert.Null(s.Gain));
        Assert.DoesNotContain(view.Series, s => s.Measure.Challenge == ChallengeMeasure.MultiDomain);
        // LLaMA's reports have only the long tail.
        Assert.All(view.Series.Where(s => s.Family == "LLaMA"), s => Assert.Equal(ChallengeMeasure.LongTail, s.Measure.Challenge));
    }

    [Fact]
    public void TheSummaryNamesTheLargestGainAndSaysSoWhenThereIsNone()
    {
        var summary = StudyChallengeView.Of(Runs).Summary;
        Assert.Equal(
        [
            "HSTU: one size only (2K non-embedding parameters, 1 run), so whether size pays off cannot be judged here; add smaller or larger HSTU runs.",
            "From the smallest to the largest LLaMA (1.5K → 6K non-embedding parameters, 2 sizes), no challenge accuracy rises: size does not pay off here " +
            "(closest: NDCG@10 on G1 (the most popular items), -0.010).",
            "Long tail: NDCG@10 does not rise with size in any setting (closest: on G1 (the most popular items), 0.200 → 0.190 (-0.010, -5 %)).",
            "From the smallest to the largest SASRec (1K → 4K non-embedding parameters, 2 sizes), NDCG@10 on G4 (the rarest items) rises most: " +
            "0.050 → 0.120 (+0.070, +140 %).",
            "Long tail: NDCG@10 gains most on G4 (the rarest items): 0.050 → 0.120 (+0.070, +140 %); least on G1 (the most popular items): +0.010.",
            "Cold start: NDCG@10 gains most for new users given their last 5 interactions: 0.060 → 0.100 (+0.040, +67 %); " +
            "least for new users given their last 10 interactions: +0.020.",
            "Robustness: the relative NDCG@10 drop under replace p=0.1 shrinks most: 25.0 % → 10.0 % (15.0 points smaller); " +
            "least under remove p=0.1: 10.0 % → 12.0 % (2.0 points larger).",
            "Trajectory: TR@10 gains most over all generated positions: 0.030 → 0.050 (+0.020, +67 %).",
        ], summary.Select(l => l.Text));
        Assert.Equal(["HSTU", "LLaMA", "LLaMA", "SASRec", "SASRec", "SASRec", "SASRec", "SASRec"], summary.Select(l => l.Family));
        Assert.Equal([null, null, ChallengeMeasure.LongTail, null, ChallengeMeasure.LongTail, ChallengeMeasure.ColdStart, ChallengeMeasure.Robustness,
            ChallengeMeasure.Trajectory], summary.Select(l => l.Challenge));
    }

    [Fact]
    public void MultiDomainSaysWhyItHasNothingAgainstSizeUnlessOneReportClassedItsCases()
    {
        static SizedReport With(int id, MultiDomainResult? multi) => Runs[0] with { RunId = id, Report = Runs[0].Report with { MultiDomain = multi } };
        var none = new MultiDomainResult(false, MultiDomainChallenge.NoDomains, [], 0, [], "r");
        var classed = new MultiDomainResult(true, null, ["a", "b"], 5, [new DomainClassResult("Mix-domain", "d", 5, 0.4, 0.2)], "r");

        Assert.Equal(MultiDomainChallenge.NoDomains, StudyChallengeView.Of([With(1, none), With(2, none)]).MultiDomainMissing);
        Assert.Equal("no report scored it.", StudyChallengeView.Of([With(1, null)]).MultiDomainMissing);
        Assert.Null(StudyChallengeView.Of([With(1, none), With(2, classed)]).MultiDomainMissing);
        Assert.Null(StudyChallengeView.Of([]).MultiDomainMissing);
    }

    [Fact]
    public void NoReportsSaySo()
    {
        var view = StudyChallengeView.Of([]);
        Assert.Empty(view.Series);
        Assert.Equal("No run of the study has a challenge report yet, so there is nothing to compare.", Assert.Single(view.Summary).Text);
    }

    [Fact]
    public void AMissingNumberIsSkippedNotCountedAsZero()
    {
        // The rarest group had no test user in the large run: its value is null, so the series has one valued size and no gain.
        var large = Report([0.33, 0.25, 0.16, 0.12]);
        var groups = large.LongTail!.Groups;
        large = large with { LongTail = large.LongTail with { Groups = [.. groups.Take(3), groups[3] with { Ndcg10 = null, HitRate10 = null }] } };
        var view = StudyChallengeView.Of([Runs[0], new SizedReport(3, "large", "SASRec", 4000, 2, 16, large)]);
        var g4 = view.For(ChallengeMeasure.LongTail, ChallengeMeasure.Ndcg).Single(s => s.Measure.Setting == "G4");
        Assert.Null(g4.Points[1].Value);
        Assert.Null(g4.Gain);
        Assert.Contains("NDCG@10 on G3 rises most: 0.100 → 0.160 (+0.060, +60 %)", view.Summary[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void AChallengeWithOneSettingThatFallsSaysSo()
    {
        var view = StudyChallengeView.Of(
        [
            new SizedReport(1, "small", "SASRec", 1000, 1, 8, Report([0.1, 0.1, 0.1, 0.1], positions: [0.04, 0.02])),
            new SizedReport(2, "large", "SASRec", 3000, 1, 16, Report([0.2, 0.2, 0.2, 0.2], positions: [0.03, 0.01])),
        ]);
        Assert.Equal("Trajectory: TR@10 over all generated positions does not rise with size: 0.030 → 0.020 (-0.010, -33 %).",
            view.Summary.Single(l => l.Challenge == ChallengeMeasure.Trajectory).Text);
    }

    [Theory]
    [InlineData(840, "840")]
    [InlineData(96_000, "96K")]
    [InlineData(1_234_567, "1.2M")]
    [InlineData(3_400_000_000, "3.4B")]
    public void ParameterCountsReadAsPeopleSayThem(long n, string text) => Assert.Equal(text, ParameterCount.Format(n));
}
