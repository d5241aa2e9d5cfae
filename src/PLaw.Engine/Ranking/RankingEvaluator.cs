using System.Globalization;
using PLaw.Engine.Autograd;
using PLaw.Engine.Evaluation.Ranking;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Ranking;

/// <summary>
/// Scores the held-out impressions of <see cref="RankingSplit"/>: each validation (test) impression is one window, the user's
/// newest L − 1 earlier impressions (training; for test also the validation ones, with their actions) interleaved, then the
/// candidate item; its logit is the ranker's output at that last token. Reports "AUC", "GAUC" (per-user AUC weighted by
/// impressions, users with one class skipped), "LogLoss" (<see cref="ClassificationMetrics"/>), "impressions", "positives"
/// (their share) and "users". AUC or GAUC is left out when the impressions make it undefined (one class only). Users are split
/// across workers in fixed contiguous ranges and scores land in user order, so the numbers do not depend on the thread count.
/// A NaN or infinite logit stops the evaluation with an error naming the user and the item.
/// </summary>
public sealed class RankingEvaluator
{
    private const int UsersPerBatch = 16;
    private readonly RunOptions _o;
    private readonly RankingSplit _split;
    private readonly Ranker<float>[] _rankers;
    private readonly Graph<float>[] _graphs;
    private readonly WorkerPool _pool;
    private readonly SequenceBatch[] _batches;
    private readonly sbyte[][] _targets;
    private readonly string?[] _problems;

    public RankingEvaluator(RunOptions options, RankingSplit split, Ranker<float>[] rankers, Graph<float>[] graphs, WorkerPool pool)
    {
        (_o, _split, _rankers, _graphs, _pool) = (options, split, rankers, graphs, pool);
        var window = rankers[0].Window;
        _batches = Enumerable.Range(0, pool.Workers).Select(_ => new SequenceBatch(window)).ToArray();
        _targets = Enumerable.Range(0, pool.Workers).Select(_ => new sbyte[UsersPerBatch * RankingSplit.HeldOut * window]).ToArray();
        _problems = new string?[pool.Workers];
    }

    /// <summary>The users scored at <paramref name="epoch"/>: every scored user, or a seeded random EvalUsers of them, ascending.</summary>
    public int[] Users(int epoch)
    {
        var all = _split.ScoredUsers;
        return _o.EvalUsers == 0 || all.Length <= _o.EvalUsers ? all : TrainingStreams.Sample(all, _o.EvalUsers, _o.Seed, 0xE7A1UL ^ ((ulong)epoch << 20));
    }

    public Dictionary<string, double> Evaluate(bool test, int epoch)
    {
        var (scores, labels, users) = Score(test, Users(epoch));
        return Metrics(scores, labels, users);
    }

    /// <summary>Every impression's logit, label and user, user by user in ascending order, each user's in time order.</summary>
    public (double[] Scores, bool[] Labels, int[] Users) Score(bool test, int[] users)
    {
        var k = RankingSplit.HeldOut;
        var scores = new double[users.Length * k];
        var labels = new bool[users.Length * k];
        var owners = new int[users.Length * k];
        var workers = _pool.Workers;
        _pool.Run(w =>
        {
            _problems[w] = null;
            var from = (int)((long)users.Length * w / workers);
            var to = (int)((long)users.Length * (w + 1) / workers);
            for (var b0 = from; b0 < to && _problems[w] is null; b0 += UsersPerBatch)
                ScoreBatch(w, users, b0, Math.Min(b0 + UsersPerBatch, to), test, scores, labels, owners);
        });
        foreach (var problem in _problems)
            if (problem is not null) throw new InvalidOperationException(problem);
        return (scores, labels, owners);
    }

    private void ScoreBatch(int w, int[] users, int from, int to, bool test, double[] scores, bool[] labels, int[] owners)
    {
        var k = RankingSplit.HeldOut;
        var seq = _split.Sequences;
        var batch = _batches[w];
        var targets = _targets[w];
        batch.Reset((to - from) * k, 0);
        batch.HasTimes = seq.Timestamps is not null;
        for (var i = from; i < to; i++)
        {
            var u = users[i];
            var start = _split.HeldOutStart(u, test);
            var items = seq.Sequence(u);
            var userLabels = seq.LabelsOf(u);
            var times = seq.Times(u);
            for (var j = 0; j < k; j++)
            {
                var at = start + j;
                Interleaving.Fill(batch, (i - from) * k + j, seq.ItemCount, items[..start], userLabels[..start],
                    times.IsEmpty ? default : times[..start], historyTargets: false, candidate: items[at], candidateLabel: userLabels[at],
                    candidateTime: times.IsEmpty ? 0 : times[at], targets);
            }
        }
        var graph = _graphs[w];
        graph.Begin(training: false);
        var logits = _rankers[w].Forward(batch).Value;
        var window = batch.Length;
        for (var i = from; i < to; i++)
        {
            var u = users[i];
            var start = _split.HeldOutStart(u, test);
            for (var j = 0; j < k; j++)
            {
                var z = logits[((i - from) * k + j + 1) * window - 1];
                var item = seq.Sequence(u)[start + j];
                if (!float.IsFinite(z))
                {
                    _problems[w] = $"Ranking evaluation ({(test ? "test" : "validation")}) stopped: user {u} (0-based index in the data set) got " +
                                   $"the logit {z.ToString(CultureInfo.InvariantCulture)} for item {item}; every score must be a finite number. " +
                                   "The weights have probably diverged: try a lower learning rate or gradient clipping.";
                    return;
                }
                var at = i * k + j;
                (scores[at], labels[at], owners[at]) = (z, seq.LabelsOf(u)[start + j], u);
            }
        }
    }

    /// <summary>AUC, GAUC, LogLoss and the counts of scored impressions; AUC/GAUC left out when undefined.</summary>
    public static Dictionary<string, double> Metrics(double[] scores, bool[] labels, int[] users)
    {
        var result = new Dictionary<string, double>();
        if (scores.Length == 0) return result;
        var positives = labels.Count(l => l);
        if (positives > 0 && positives < labels.Length) result["AUC"] = ClassificationMetrics.Auc(scores, labels);
        if (HasMixedUser(labels, users)) result["GAUC"] = ClassificationMetrics.Gauc(scores, labels, users);
        result["LogLoss"] = ClassificationMetrics.LogLoss(scores, labels);
        result["impressions"] = scores.Length;
        result["positives"] = (double)positives / scores.Length;
        result["users"] = users.Distinct().Count();
        return result;
    }

    private static bool HasMixedUser(bool[] labels, int[] users)
    {
        var seen = new Dictionary<int, (bool Positive, bool Negative)>();
        for (var i = 0; i < labels.Length; i++)
        {
            var (p, n) = seen.GetValueOrDefault(users[i]);
            seen[users[i]] = (p || labels[i], n || !labels[i]);
            if (seen[users[i]] is (true, true)) return true;
        }
        return false;
    }
}
