using PLaw.Engine.Evaluation;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Challenges;

/// <summary>One noise setting: the metric under noise and its relative drop from the clean metric, (clean − noisy) / clean
/// (null when the clean metric is 0).</summary>
public sealed record PerturbationResult(string Kind, double P, double? HitRate10, double? Ndcg10, double? HitRateDrop, double? NdcgDrop);

public sealed record RobustnessResult(long Users, double? CleanHitRate10, double? CleanNdcg10, IReadOnlyList<PerturbationResult> Perturbations);

/// <summary>
/// LSRM §V robustness: the test protocol (input = the last L items of train + validation, target = the test item, full
/// ranking with the clean history masked) with the input window perturbed by <see cref="InputPerturbation"/>, removal or
/// uniform replacement with p ∈ {0.1, 0.2, 0.3}. The noise of user u is drawn from the (seed, <see cref="Stream"/>, setting,
/// u) stream, so it depends neither on the thread count nor on which other users are scored.
/// </summary>
public static class RobustnessChallenge
{
    public const ulong Stream = 0x2085;
    public static readonly double[] Probabilities = [0.1, 0.2, 0.3];
    public static readonly PerturbationKind[] Kinds = [PerturbationKind.Remove, PerturbationKind.Replace];

    /// <summary>Scored inputs per user: the clean one and one per setting.</summary>
    public static int UnitsPerUser => 1 + Kinds.Length * Probabilities.Length;

    public static RobustnessResult Run(ChallengeScorer scorer, int[] users, ChallengeProgress progress, CancellationToken ct)
    {
        var split = scorer.Split;
        var workers = scorer.Workers;
        var l = scorer.MaxLength;
        var sums = Enumerable.Range(0, workers).Select(_ => new HitSums()).ToArray();
        var items = Enumerable.Range(0, workers).Select(_ => new int[ChallengeScorer.Block * l]).ToArray();
        var stamps = Enumerable.Range(0, workers).Select(_ => new long[ChallengeScorer.Block * l]).ToArray();
        var rngs = Enumerable.Range(0, workers).Select(_ => new Rng(0)).ToArray();
        (double? Hr, double? Ndcg) Pass(PerturbationKind? kind, int setting, double p)
        {
            foreach (var s in sums) s.Clear();
            scorer.ForEachBlock(users, (w, b0, count) =>
            {
                scorer.Begin(w, count);
                for (var b = 0; b < count; b++)
                {
                    var u = users[b0 + b];
                    var history = split.TrainAndValidation(u);
                    var n = Math.Min(l, history.Length);
                    var window = history[^n..];
                    var times = scorer.Data.Times(u);
                    var windowTimes = times.IsEmpty ? default : times[(history.Length - n)..history.Length];
                    var targetTime = times.IsEmpty ? 0 : times[history.Length];
                    if (kind is not { } k)
                    {
                        scorer.SetInput(w, b, window, windowTimes, targetTime);
                        continue;
                    }
                    rngs[w].Reseed(Rng.Mix((ulong)scorer.Options.Seed, Stream, (ulong)setting, (ulong)u));
                    var outItems = items[w].AsSpan(b * l, l);
                    var outTimes = stamps[w].AsSpan(b * l, l);
                    var m = InputPerturbation.Apply(k, p, window, windowTimes, scorer.ItemCount, rngs[w], outItems, outTimes);
                    scorer.SetInput(w, b, outItems[..m], windowTimes.IsEmpty ? default : outTimes[..m], targetTime);
                }
                scorer.Score(w);
                for (var b = 0; b < count; b++)
                {
                    var u = users[b0 + b];
                    var row = scorer.Row(w, b);
                    FullRanking.CheckFinite(row, u, "robustness");
                    var target = split.TestTarget(u);
                    FullRanking.Mask(row, split.TrainAndValidation(u), target);
                    sums[w].Add(MetricSums.Rank(row, target));
                }
            }, progress, ct);
            for (var w = 1; w < workers; w++) sums[0].Merge(sums[w]);
            return (sums[0].HitRate, sums[0].NdcgAt10);
        }

        progress.Task = "robustness";
        var (cleanHr, cleanNdcg) = Pass(null, 0, 0);
        var results = new List<PerturbationResult>();
        var settingIndex = 0;
        foreach (var kind in Kinds)
            foreach (var p in Probabilities)
            {
                var (hr, ndcg) = Pass(kind, ++settingIndex, p);
                results.Add(new PerturbationResult(kind.ToString().ToLowerInvariant(), p, hr, ndcg, Drop(cleanHr, hr), Drop(cleanNdcg, ndcg)));
            }
        return new RobustnessResult(users.Length, cleanHr, cleanNdcg, results);
    }

    /// <summary>(clean − noisy) / clean; null when either is missing or the clean metric is 0.</summary>
    public static double? Drop(double? clean, double? noisy) =>
        clean is > 0 && noisy is { } n ? (clean.Value - n) / clean.Value : null;
}
