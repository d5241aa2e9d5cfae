using PLaw.Engine.Evaluation;
using PLaw.Engine.Training;

namespace PLaw.Engine.Challenges;

/// <summary>The new users' test accuracy with only their last <see cref="Length"/> interactions as input (<see cref="FedLength"/>
/// after the model's window L); <see cref="ShorterUsers"/> had fewer and gave all they had. Coverage@10 = distinct items in
/// all top-10 lists / item count.</summary>
public sealed record ColdStartLength(int Length, int FedLength, long Users, long ShorterUsers, double? HitRate10, double? Ndcg10, double Coverage10);

/// <summary><see cref="Available"/> is false, with the reason, when the run held no user out (NewUserShare 0).</summary>
public sealed record ColdStartResult(bool Available, string? Reason, double NewUserShare, int NewUsers, IReadOnlyList<ColdStartLength> Lengths);

/// <summary>
/// LSRM §V cold-start users: the users the run held out of training (<see cref="TrainingStreams.NewUsers"/>; they are also
/// kept out of its validation and test metrics) are scored on their test target with only their last n ∈ {5, 10, 20, 50}
/// interactions before it as input (train + validation, as at test time), full ranking with their whole known history masked.
/// </summary>
public static class ColdStartChallenge
{
    public static readonly int[] Lengths = [5, 10, 20, 50];

    public static int[] Users(ChallengeScorer scorer) => TrainingStreams.NewUsers(scorer.Split, scorer.Options);

    public static ColdStartResult Run(ChallengeScorer scorer, ChallengeProgress progress, CancellationToken ct)
    {
        var share = scorer.Options.NewUserShare;
        var users = Users(scorer);
        if (users.Length == 0)
            return new ColdStartResult(false,
                share <= 0
                    ? "This run held no users out of training (NewUserShare 0), so it has no new users to score. Train with a new-user share above 0 (e.g. 0.2) for the cold-start challenge."
                    : $"NewUserShare {share} of {scorer.Split.ScoredUsers.Length} scored users rounds to no user.",
                share, 0, []);
        var split = scorer.Split;
        var workers = scorer.Workers;
        var sums = Enumerable.Range(0, workers).Select(_ => new HitSums()).ToArray();
        var covered = Enumerable.Range(0, workers).Select(_ => new bool[scorer.ItemCount + 1]).ToArray();
        var shorter = new long[workers];
        var results = new List<ColdStartLength>();
        progress.Task = "cold start";
        foreach (var length in Lengths)
        {
            foreach (var s in sums) s.Clear();
            foreach (var c in covered) Array.Clear(c);
            Array.Clear(shorter);
            scorer.ForEachBlock(users, (w, b0, count) =>
            {
                Span<int> top = stackalloc int[FullRanking.K];
                Span<float> topScore = stackalloc float[FullRanking.K];
                scorer.Begin(w, count);
                for (var b = 0; b < count; b++)
                {
                    var u = users[b0 + b];
                    var history = split.TrainAndValidation(u);
                    var n = Math.Min(length, history.Length);
                    if (n < length) shorter[w]++;
                    var times = scorer.Data.Times(u);
                    scorer.SetInput(w, b, history[^n..], times.IsEmpty ? default : times[(history.Length - n)..history.Length],
                        times.IsEmpty ? 0 : times[history.Length]);
                }
                scorer.Score(w);
                for (var b = 0; b < count; b++)
                {
                    var u = users[b0 + b];
                    var row = scorer.Row(w, b);
                    FullRanking.CheckFinite(row, u, "cold start");
                    var target = split.TestTarget(u);
                    FullRanking.Mask(row, split.TrainAndValidation(u), target);
                    sums[w].Add(MetricSums.Rank(row, target));
                    FullRanking.Top(row, top, topScore);
                    foreach (var t in top)
                        if (t > 0) covered[w][t] = true;
                }
            }, progress, ct);
            for (var w = 1; w < workers; w++) sums[0].Merge(sums[w]);
            var distinct = 0;
            for (var i = 1; i <= scorer.ItemCount; i++)
            {
                var any = false;
                for (var w = 0; w < workers; w++) any |= covered[w][i];
                if (any) distinct++;
            }
            results.Add(new ColdStartLength(length, Math.Min(length, scorer.MaxLength), sums[0].Users, shorter.Sum(),
                sums[0].HitRate, sums[0].NdcgAt10, (double)distinct / scorer.ItemCount));
        }
        return new ColdStartResult(true, null, share, users.Length, results);
    }
}
