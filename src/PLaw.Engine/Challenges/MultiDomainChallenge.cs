using PLaw.Data.Sequences;
using PLaw.Engine.Evaluation;

namespace PLaw.Engine.Challenges;

/// <summary>One class of test cases: how many users fall in it and their test HR@10 / NDCG@10 (null when none does).</summary>
public sealed record DomainClassResult(string Class, string Definition, long Users, double? HitRate10, double? Ndcg10);

/// <summary>
/// <see cref="Available"/> is false, with the reason, when the dataset carries no item domains or only one. <see cref="Classes"/>:
/// all, Mix-domain, Single-domain, Diff-domain, Same-domain (each user is in exactly one of Mix/Single and one of Diff/Same).
/// </summary>
public sealed record MultiDomainResult(bool Available, string? Reason, IReadOnlyList<string> Domains, long Users,
    IReadOnlyList<DomainClassResult> Classes, string Reading);

/// <summary>How one test case is classed: its input spans several domains (Mix), and its target's domain differs from the
/// newest input item's (Diff).</summary>
public readonly record struct DomainCase(bool Mix, bool Diff);

/// <summary>
/// LSRM §V multi-domain: the test protocol (input = the last L items of train + validation, the window the model is fed;
/// target = the test item; full ranking with the history masked), each test case classed by the items' domains and scored
/// per class.
///
/// The classes as read here (the paper's own wording was not retrievable when this was written, so this is the reading
/// implemented, stated in <see cref="Reading"/> with every report):
/// <list type="bullet">
/// <item>Mix-domain: the input window holds items of two or more domains (its complement: Single-domain).</item>
/// <item>Diff-domain: the target's domain differs from the domain of the newest input item, i.e. the next step crosses
/// domains (its complement: Same-domain).</item>
/// </list>
/// The two splits are independent: a case is Mix or Single, and Diff or Same.
/// </summary>
public static class MultiDomainChallenge
{
    public const string Reading =
        "Mix-domain: the input window (the last L items before the test item) spans two or more domains; Single-domain: one domain. " +
        "Diff-domain: the test item's domain differs from the newest input item's; Same-domain: it does not. " +
        "(A stated reading of LSRM §V; a case is in one of Mix/Single and one of Diff/Same.)";

    public const string NoDomains =
        "This dataset has no item domains, so its test cases cannot be classed Mix-domain or Diff-domain. Import it with an " +
        "item→domain file (plaw import --item-domains items.tsv) or a CSV domain column (--domain-column), or generate " +
        "multi-domain synthetic data (plaw datasets generate --domains 3).";

    private static readonly (string Name, string Definition)[] ClassNames =
    [
        ("All", "every scored test case"),
        ("Mix-domain", "input spans two or more domains"),
        ("Single-domain", "input is within one domain"),
        ("Diff-domain", "target's domain ≠ newest input item's"),
        ("Same-domain", "target's domain = newest input item's"),
    ];

    /// <summary>Whether the multi-domain task can run on <paramref name="data"/>, and why not.</summary>
    public static string? Unavailable(SequenceSet data) => data.Domains switch
    {
        null => NoDomains,
        { Count: < 2 } d => $"Every item of this dataset is in one domain ('{d.Names[0]}'), so no test case crosses domains.",
        _ => null,
    };

    /// <summary>Classes one test case: <paramref name="input"/> is the window fed to the model (oldest first).</summary>
    public static DomainCase Classify(ReadOnlySpan<int> input, int target, ItemDomains domains)
    {
        if (input.IsEmpty) return new DomainCase(false, false);
        var first = domains.Of(input[0]);
        var mix = false;
        foreach (var item in input)
            if (domains.Of(item) != first)
            {
                mix = true;
                break;
            }
        return new DomainCase(mix, domains.Of(target) != domains.Of(input[^1]));
    }

    public static MultiDomainResult Run(ChallengeScorer scorer, int[] users, ChallengeProgress progress, CancellationToken ct)
    {
        if (Unavailable(scorer.Data) is { } reason)
            return new MultiDomainResult(false, reason, scorer.Data.Domains?.Names ?? [], 0, [], Reading);
        var domains = scorer.Data.Domains!;
        var split = scorer.Split;
        var l = scorer.MaxLength;
        var sums = new HitSums[scorer.Workers][];
        for (var w = 0; w < sums.Length; w++) sums[w] = ClassNames.Select(_ => new HitSums()).ToArray();
        progress.Task = "multi-domain";
        scorer.ForEachBlock(users, (w, b0, count) =>
        {
            scorer.Begin(w, count);
            for (var b = 0; b < count; b++)
            {
                var u = users[b0 + b];
                var history = split.TrainAndValidation(u);
                var times = scorer.Data.Times(u);
                scorer.SetInput(w, b, history, times.IsEmpty ? default : times[..history.Length], times.IsEmpty ? 0 : times[history.Length]);
            }
            scorer.Score(w);
            for (var b = 0; b < count; b++)
            {
                var u = users[b0 + b];
                var row = scorer.Row(w, b);
                FullRanking.CheckFinite(row, u, "multi-domain");
                var history = split.TrainAndValidation(u);
                var target = split.TestTarget(u);
                FullRanking.Mask(row, history, target);
                var rank = MetricSums.Rank(row, target);
                var c = Classify(history[^Math.Min(l, history.Length)..], target, domains);
                var s = sums[w];
                s[0].Add(rank);
                s[c.Mix ? 1 : 2].Add(rank);
                s[c.Diff ? 3 : 4].Add(rank);
            }
        }, progress, ct);
        var classes = new List<DomainClassResult>();
        for (var k = 0; k < ClassNames.Length; k++)
        {
            for (var w = 1; w < sums.Length; w++) sums[0][k].Merge(sums[w][k]);
            var s = sums[0][k];
            classes.Add(new DomainClassResult(ClassNames[k].Name, ClassNames[k].Definition, s.Users, s.HitRate, s.NdcgAt10));
        }
        return new MultiDomainResult(true, null, domains.Names, users.Length, classes, Reading);
    }
}
