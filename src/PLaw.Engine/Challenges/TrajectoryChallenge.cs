namespace PLaw.Engine.Challenges;

/// <summary>
/// <see cref="TR"/> = TR@k. <see cref="PositionHitRate"/>[j − 1] = share of users whose j-th generated item is one of their
/// true next k (TR@k is its mean); <see cref="ExactPositionHitRate"/>[j − 1] = share whose j-th generated item is exactly
/// their j-th next item (the stricter, order-sensitive reading, for comparison).
/// </summary>
public sealed record TrajectoryResult(int K, string Population, long Users, double? TR, double[] PositionHitRate, double[] ExactPositionHitRate,
    string Definition);

/// <summary>
/// LSRM §V trajectory: from a user's sequence without its last k = 10 items, the model generates the next k items
/// greedily (the best-scoring item, lowest id on ties), each generated item fed back as the newest input, never
/// recommending an item of the input history or one it already generated; the k generated items are scored against the
/// user's true last k.
///
/// TR@k (LSRM's trajectory metric) as read here: TR@k = (1/|U|) Σ_u (1/k) Σ_{j=1..k} 1[ŷ_{u,j} ∈ Y_u], where ŷ_{u,j} is the
/// j-th generated item and Y_u the set of the user's true next k items: the indicator asks whether a generated item occurs
/// anywhere in the true trajectory, not at the same position. (The paper's formula was not retrievable here; this is how
/// its indicator over the generated list and the ground-truth trajectory is read, order-insensitive.) The per-position
/// decay curve is the same indicator at each position j; the order-sensitive 1[ŷ_{u,j} = y_{u,j}] is reported beside it.
///
/// Users: when the run held users out (cold start), those new users, whose items the model never trained on; otherwise
/// the scored users, whose true next k were partly training targets (all but their last two, the validation and test
/// items), which flatters the first positions. Eligible: at least k + 1 items (one input).
/// Timestamps (HSTU): the j-th generated item is fed at the time the user really took their j-th next step.
/// </summary>
public static class TrajectoryChallenge
{
    public const int K = 10;

    public const string Definition = "TR@k = mean over users of (1/k)·Σ_j 1[generated item j ∈ the user's true next k items] (order-insensitive); " +
                                     "position curve: the same indicator at position j; exact: 1[generated item j = true item j]";

    public static (int[] Users, string Population) Users(ChallengeScorer scorer, int[] scoredUsers, int k = K)
    {
        var newUsers = ColdStartChallenge.Users(scorer);
        var (pool, population) = newUsers.Length > 0
            ? (newUsers, "new users (held out of training)")
            : (scoredUsers, "trained users (their true next k were training targets except the last two)");
        return (pool.Where(u => scorer.Data.Length(u) >= k + 1).ToArray(), population);
    }

    public static TrajectoryResult Run(ChallengeScorer scorer, int[] users, string population, ChallengeProgress progress, CancellationToken ct,
        int k = K)
    {
        var workers = scorer.Workers;
        var l = scorer.MaxLength;
        var block = ChallengeScorer.Block;
        var setHits = Enumerable.Range(0, workers).Select(_ => new long[k]).ToArray();
        var exactHits = Enumerable.Range(0, workers).Select(_ => new long[k]).ToArray();
        var generated = Enumerable.Range(0, workers).Select(_ => new int[block * k]).ToArray();
        var inputs = Enumerable.Range(0, workers).Select(_ => new int[l]).ToArray();
        var stamps = Enumerable.Range(0, workers).Select(_ => new long[l]).ToArray();
        progress.Task = "trajectory";
        scorer.ForEachBlock(users, (w, b0, count) =>
        {
            var gen = generated[w];
            for (var j = 0; j < k; j++)
            {
                scorer.Begin(w, count);
                for (var b = 0; b < count; b++)
                {
                    var u = users[b0 + b];
                    var sequence = scorer.Data.Sequence(u);
                    var times = scorer.Data.Times(u);
                    var history = sequence[..^k];
                    // The newest min(L, |history| + j) items of history ++ generated[..j]; generated item i takes the time of true item i.
                    var fromGenerated = Math.Min(j, l);
                    var fromHistory = Math.Min(history.Length, l - fromGenerated);
                    history[^fromHistory..].CopyTo(inputs[w]);
                    gen.AsSpan(b * k + j - fromGenerated, fromGenerated).CopyTo(inputs[w].AsSpan(fromHistory));
                    if (!times.IsEmpty)
                    {
                        times[(history.Length - fromHistory)..history.Length].CopyTo(stamps[w]);
                        times.Slice(history.Length + j - fromGenerated, fromGenerated).CopyTo(stamps[w].AsSpan(fromHistory));
                    }
                    var n = fromHistory + fromGenerated;
                    scorer.SetInput(w, b, inputs[w].AsSpan(0, n), times.IsEmpty ? default : stamps[w].AsSpan(0, n),
                        times.IsEmpty ? 0 : times[history.Length + j]);
                }
                scorer.Score(w);
                for (var b = 0; b < count; b++)
                {
                    var u = users[b0 + b];
                    var row = scorer.Row(w, b);
                    FullRanking.CheckFinite(row, u, "trajectory");
                    var sequence = scorer.Data.Sequence(u);
                    var truth = sequence[^k..];
                    FullRanking.Mask(row, sequence[..^k], 0);
                    FullRanking.Mask(row, gen.AsSpan(b * k, j), 0);
                    var item = FullRanking.Best(row);
                    gen[b * k + j] = item;
                    if (item > 0 && truth.Contains(item)) setHits[w][j]++;
                    if (item > 0 && truth[j] == item) exactHits[w][j]++;
                }
            }
        }, progress, ct);
        var position = new double[k];
        var exact = new double[k];
        for (var j = 0; j < k; j++)
        {
            long set = 0, same = 0;
            for (var w = 0; w < workers; w++)
            {
                set += setHits[w][j];
                same += exactHits[w][j];
            }
            position[j] = users.Length == 0 ? 0 : (double)set / users.Length;
            exact[j] = users.Length == 0 ? 0 : (double)same / users.Length;
        }
        return new TrajectoryResult(k, population, users.Length, users.Length == 0 ? null : position.Average(), position, exact, Definition);
    }
}
