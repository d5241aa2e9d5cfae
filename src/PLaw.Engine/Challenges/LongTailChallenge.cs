using PLaw.Engine.Training;

namespace PLaw.Engine.Challenges;

/// <summary>One popularity group's test accuracy: HR@10 and NDCG@10 over the users whose test target is in the group
/// (null when none is).</summary>
public sealed record PopularityGroupResult(string Group, int Items, long MinTrainingCount, long MaxTrainingCount, long Users,
    double? HitRate10, double? Ndcg10);

public sealed record LongTailResult(string Grouping, IReadOnlyList<PopularityGroupResult> Groups);

/// <summary>
/// LSRM §V long-tail items: the test protocol (input = train + validation, target = the test item, full ranking with the
/// history masked), with each user counted in the popularity group of their test target (<see cref="PopularityGroups"/>).
/// </summary>
public static class LongTailChallenge
{
    public const string Grouping = "items sorted by training occurrences (descending, ties by item id), cut into 4 equal groups; " +
                                   "G1 = most popular; the I mod 4 extra items go to G1, G2, … in turn";

    public static LongTailResult Run(ChallengeScorer scorer, int[] users, ChallengeProgress progress, CancellationToken ct)
    {
        var split = scorer.Split;
        var groups = PopularityGroups.FromTraining(split, TrainingStreams.TrainUsers(split, scorer.Options));
        var sums = new HitSums[scorer.Workers][];
        for (var w = 0; w < sums.Length; w++) sums[w] = Enumerable.Range(0, groups.GroupCount).Select(_ => new HitSums()).ToArray();
        progress.Task = "long tail";
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
                FullRanking.CheckFinite(row, u, "long tail");
                var target = split.TestTarget(u);
                FullRanking.Mask(row, split.TrainAndValidation(u), target);
                sums[w][groups.GroupOf(target)].Add(Evaluation.MetricSums.Rank(row, target));
            }
        }, progress, ct);
        var result = new List<PopularityGroupResult>();
        for (var g = 0; g < groups.GroupCount; g++)
        {
            for (var w = 1; w < sums.Length; w++) sums[0][g].Merge(sums[w][g]);
            var s = sums[0][g];
            result.Add(new PopularityGroupResult($"G{g + 1}", groups.Sizes[g], groups.MinCount[g], groups.MaxCount[g], s.Users, s.HitRate, s.NdcgAt10));
        }
        return new LongTailResult(Grouping, result);
    }
}
