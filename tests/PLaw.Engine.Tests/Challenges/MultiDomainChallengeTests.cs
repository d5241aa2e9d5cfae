using PLaw.Data.Sequences;
using PLaw.Engine.Challenges;

namespace PLaw.Engine.Tests.Challenges;

/// <summary>
/// 16 items in four domains, A = 1..4, B = 5..8, C = 9..12, D = 13..16; 7 users of 4 items (input = the first three, the
/// test target the fourth). Every input scores item j as −j, so a target t ranks 1 + #{j &lt; t not among the input}:
/// <code>
/// user  sequence        input domains  last → target  class        rank
/// 0     1  2  3 | 4     A A A          A → A          Single Same  1
/// 1     1  5  2 | 6     A B A          A → B          Mix    Diff  3  (3, 4 ahead)
/// 2     5  6  7 | 10    B B B          B → C          Single Diff  7  (1–4, 8, 9)
/// 3     9  1 10 | 11    C A C          C → C          Mix    Same  8  (2–8)
/// 4     2  9  6 | 12    A C B          B → C          Mix    Diff  9  (1, 3, 4, 5, 7, 8, 10, 11)
/// 5     3  4  8 | 7     A A B          B → B          Mix    Same  5  (1, 2, 5, 6)
/// 6     1  5  6 | 15    A B B          B → D          Mix    Diff  12 (miss: 2–4, 7–14)
/// </code>
/// </summary>
public sealed class MultiDomainChallengeTests
{
    private static readonly int[][] Sequences =
    [
        [1, 2, 3, 4], [1, 5, 2, 6], [5, 6, 7, 10], [9, 1, 10, 11], [2, 9, 6, 12], [3, 4, 8, 7], [1, 5, 6, 15],
    ];

    private static readonly int[] AllUsers = [0, 1, 2, 3, 4, 5, 6];

    internal static ItemDomains FourDomains() =>
        new(["A", "B", "C", "D"], [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);

    internal static SequenceSet Data() => TableScorer.Data(16, Sequences).WithDomains(FourDomains());

    private static double G(int rank) => 1 / Math.Log2(rank + 1);

    private static DomainClassResult Class(MultiDomainResult r, string name) => r.Classes.Single(c => c.Class == name);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EachClassHasTheHandComputedCountsHitRateAndNdcg(int threads)
    {
        using var scorer = TableScorer.Create(Data(), LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem, threads);
        var r = MultiDomainChallenge.Run(scorer, AllUsers, TableScorer.NoProgress(), CancellationToken.None);
        Assert.True(r.Available);
        Assert.Equal(["A", "B", "C", "D"], r.Domains);
        Assert.Equal(["All", "Mix-domain", "Single-domain", "Diff-domain", "Same-domain"], r.Classes.Select(c => c.Class));
        Assert.Equal([7L, 5, 2, 4, 3], r.Classes.Select(c => c.Users));

        Assert.Equal(6.0 / 7, Class(r, "All").HitRate10!.Value, 12);
        Assert.Equal((G(1) + G(3) + G(7) + G(8) + G(9) + G(5)) / 7, Class(r, "All").Ndcg10!.Value, 12);
        Assert.Equal(4.0 / 5, Class(r, "Mix-domain").HitRate10!.Value, 12); // users 1, 3, 4, 5, 6
        Assert.Equal((G(3) + G(8) + G(9) + G(5)) / 5, Class(r, "Mix-domain").Ndcg10!.Value, 12);
        Assert.Equal(1.0, Class(r, "Single-domain").HitRate10); // users 0, 2
        Assert.Equal((G(1) + G(7)) / 2, Class(r, "Single-domain").Ndcg10!.Value, 12);
        Assert.Equal(3.0 / 4, Class(r, "Diff-domain").HitRate10!.Value, 12); // users 1, 2, 4, 6
        Assert.Equal((G(3) + G(7) + G(9)) / 4, Class(r, "Diff-domain").Ndcg10!.Value, 12);
        Assert.Equal(1.0, Class(r, "Same-domain").HitRate10); // users 0, 3, 5
        Assert.Equal((G(1) + G(8) + G(5)) / 3, Class(r, "Same-domain").Ndcg10!.Value, 12);
    }

    [Fact]
    public void TheInputIsTheWindowTheModelIsFed()
    {
        // With L = 2 user 6's window is (5, 6), both B: Single; the other Mix users keep two domains in their last two items.
        using var scorer = TableScorer.Create(Data(), LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem, maxLength: 2);
        var r = MultiDomainChallenge.Run(scorer, AllUsers, TableScorer.NoProgress(), CancellationToken.None);
        Assert.Equal([7L, 4, 3, 4, 3], r.Classes.Select(c => c.Users));
        Assert.Equal((G(1) + G(7)) / 3, Class(r, "Single-domain").Ndcg10!.Value, 12); // users 0, 2, 6 (rank 12: a miss)
    }

    [Fact]
    public void ClassifyReadsTheWholeInputAndTheNewestItem()
    {
        var d = FourDomains();
        Assert.Equal(new DomainCase(false, false), MultiDomainChallenge.Classify([1, 2, 3], 4, d));
        Assert.Equal(new DomainCase(true, false), MultiDomainChallenge.Classify([9, 1, 10], 11, d));
        Assert.Equal(new DomainCase(false, true), MultiDomainChallenge.Classify([5, 6, 7], 10, d));
        Assert.Equal(new DomainCase(true, true), MultiDomainChallenge.Classify([13, 1, 2], 16, d)); // only the oldest differs
        Assert.Equal(new DomainCase(false, false), MultiDomainChallenge.Classify([], 4, d));
    }

    [Fact]
    public void WithoutDomainsTheTaskSaysSoAndScoresNothing()
    {
        using var plain = TableScorer.Create(TableScorer.Data(16, Sequences), LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem);
        var r = MultiDomainChallenge.Run(plain, AllUsers, TableScorer.NoProgress(), CancellationToken.None);
        Assert.False(r.Available);
        Assert.Contains("no item domains", r.Reason, StringComparison.Ordinal);
        Assert.Empty(r.Classes);

        var one = TableScorer.Data(16, Sequences).WithDomains(new ItemDomains(["books"], new int[17]));
        using var single = TableScorer.Create(one, LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem);
        var s = MultiDomainChallenge.Run(single, AllUsers, TableScorer.NoProgress(), CancellationToken.None);
        Assert.False(s.Available);
        Assert.Contains("one domain ('books')", s.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRunnerCountsTheTaskInItsProgressOnlyWithDomains()
    {
        // long tail 7 + robustness 7 × 7 + trajectory 0 (no user has 11 items) + multi-domain 7.
        using var scorer = TableScorer.Create(Data(), LongTailChallengeTests.ScoreIsMinusItemId(16), TableKey.LastItem);
        var progress = new List<ChallengeStatus>();
        var report = ChallengeRunner.Run(scorer, ChallengeTasks.All, new Recorder(progress));
        Assert.Equal(63, progress[^1].Total);
        Assert.Equal(63, progress[^1].Done);
        Assert.True(report.MultiDomain!.Available);
        Assert.Equal(7, report.MultiDomain.Users);

        var only = ChallengeRunner.Run(scorer, ChallengeTaskNames.Parse("multidomain"));
        Assert.Null(only.LongTail);
        Assert.Equal(Class(report.MultiDomain, "Diff-domain"), Class(only.MultiDomain!, "Diff-domain"));
    }

    private sealed class Recorder(List<ChallengeStatus> seen) : IProgress<ChallengeStatus>
    {
        public void Report(ChallengeStatus value)
        {
            lock (seen) seen.Add(value);
        }
    }
}
