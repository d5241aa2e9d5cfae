using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Evaluation;

/// <summary>
/// Leave-one-out evaluation (models.md §7). Valid: input = train, target = s_{n−1}. Test: input = train + valid
/// (the validation item is fed), target = s_n. Only the last position is scored.
///   Sampled100 / Sampled2500: target + 100 / 2,499 uniform negatives ∉ train(u), with replacement (pmixer, P-Law).
///   Full: every item 1..I except the user's input history (the target is always kept); also Coverage@10.
/// Ranks are pessimistic (a tie counts against the target, see <see cref="MetricSums"/>), and a NaN or infinite score
/// stops the evaluation with an error naming the user and the item.
/// "loss" is the cross-entropy of the target among the scored candidates. Users are split across workers in fixed
/// contiguous ranges; each user's negatives come from a stream seeded by (seed, epoch, split, user), so the
/// numbers do not depend on the thread count.
/// </summary>
public sealed class Evaluator
{
    private const int BatchSize = 128;
    private readonly LeaveOneOutSplit _split;
    private readonly RunOptions _o;
    private readonly ISequenceModel<float>[] _models;
    private readonly Graph<float>[] _graphs;
    private readonly WorkerPool _pool;
    private readonly SequenceBatch[] _batches;
    private readonly BatchSampler[] _samplers;
    private readonly MetricSums[] _sums;
    private readonly float[][] _scores;
    private readonly int[][] _candidates;
    private readonly string?[] _problems;
    private readonly Rng[] _rngs;
    private readonly bool[][] _covered;
    private readonly int[] _scoredUsers;

    public Evaluator(RunOptions options, LeaveOneOutSplit split, ISequenceModel<float>[] models, Graph<float>[] graphs, WorkerPool pool)
    {
        (_o, _split, _models, _graphs, _pool) = (options, split, models, graphs, pool);
        _scoredUsers = TrainingStreams.ScoredUsers(split, options);
        var w = pool.Workers;
        _batches = Enumerable.Range(0, w).Select(_ => new SequenceBatch(options.MaxLength)).ToArray();
        _samplers = Enumerable.Range(0, w).Select(_ => new BatchSampler(split, options.MaxLength)).ToArray();
        _sums = Enumerable.Range(0, w).Select(_ => new MetricSums()).ToArray();
        var candidates = options.Eval switch
        {
            EvalProtocol.Sampled100 => 101,
            EvalProtocol.Sampled2500 => 2500,
            _ => split.Sequences.ItemCount + 1,
        };
        _fullUsers = FullBlockUsers(split.Sequences.ItemCount + 1);
        _scores = Enumerable.Range(0, w).Select(_ => new float[Math.Max(candidates, _fullUsers * options.Dim) + 1]).ToArray();
        _candidates = Enumerable.Range(0, w).Select(_ => new int[candidates]).ToArray();
        _problems = new string?[w];
        _rngs = Enumerable.Range(0, w).Select(_ => new Rng(0)).ToArray();
        _covered = Enumerable.Range(0, w).Select(_ => new bool[split.Sequences.ItemCount + 1]).ToArray();
        _fullBlock = options.Eval == EvalProtocol.Full ? Enumerable.Range(0, w).Select(_ => new float[_fullUsers * (split.Sequences.ItemCount + 1)]).ToArray() : [];
    }

    private readonly float[][] _fullBlock;
    private readonly int _fullUsers;

    // Users per full-ranking GEMM: as many as a 16 MB score block holds, 16 to a whole batch. Every GEMM packs the whole
    // item table again, so small blocks pay for that copy more often than for the products (Games: 10,673 items, 128 users).
    internal static int FullBlockUsers(int items) => Math.Clamp((4 << 20) / items, 16, BatchSize);

    /// <summary>The users scored at <paramref name="epoch"/>: all scored users except the held-out new users
    /// (<see cref="TrainingStreams.NewUsers"/>; the cold-start challenge scores those), or a seeded random subset of
    /// EvalUsers, ascending.</summary>
    public int[] Users(int epoch)
    {
        var all = _scoredUsers;
        if (_o.EvalUsers == 0 || all.Length <= _o.EvalUsers) return all;
        var copy = (int[])all.Clone();
        var rng = Rng.For((ulong)_o.Seed, 0xE7A1, (ulong)epoch);
        for (var i = 0; i < _o.EvalUsers; i++)
        {
            var j = i + rng.NextInt(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        var chosen = copy[.._o.EvalUsers];
        Array.Sort(chosen);
        return chosen;
    }

    public Dictionary<string, double> Evaluate(bool test, int epoch) => Evaluate(test, epoch, Users(epoch));

    public Dictionary<string, double> Evaluate(bool test, int epoch, int[] users)
    {
        var workers = _pool.Workers;
        _pool.Run(w =>
        {
            _sums[w].Clear();
            Array.Clear(_covered[w]);
            _problems[w] = null;
            var from = (int)((long)users.Length * w / workers);
            var to = (int)((long)users.Length * (w + 1) / workers);
            for (var b0 = from; b0 < to && _problems[w] is null; b0 += BatchSize)
                Score(w, users.AsSpan(b0, Math.Min(BatchSize, to - b0)), test, epoch);
        });
        // Workers hold ascending user ranges, so the first problem in worker order is the lowest user's.
        foreach (var problem in _problems)
            if (problem is not null) throw new InvalidOperationException(problem);
        for (var w = 1; w < workers; w++) _sums[0].Merge(_sums[w]);
        var result = _sums[0].ToDictionary();
        if (_o.Eval == EvalProtocol.Full)
        {
            var covered = 0;
            for (var i = 1; i < _covered[0].Length; i++)
            {
                var any = false;
                for (var w = 0; w < workers; w++) any |= _covered[w][i];
                if (any) covered++;
            }
            result["Coverage@10"] = (double)covered / _split.Sequences.ItemCount;
        }
        return result;
    }

    private void Score(int w, ReadOnlySpan<int> users, bool test, int epoch)
    {
        var batch = _batches[w];
        var sampler = _samplers[w];
        var graph = _graphs[w];
        var seq = _split.Sequences;
        batch.Reset(users.Length, 0);
        batch.HasTimes = seq.Timestamps is not null;
        for (var b = 0; b < users.Length; b++)
        {
            var u = users[b];
            var history = test ? _split.TrainAndValidation(u) : _split.Train(u);
            var times = seq.Timestamps is null ? default : seq.Times(u);
            sampler.FillInput(batch, b, history, times.IsEmpty ? default : times[..history.Length],
                times.IsEmpty ? 0 : times[history.Length]);
        }
        graph.Begin(training: false);
        var h = _models[w].Forward(batch);
        var items = graph.Param(_models[w].ItemEmbedding);
        var rng = _rngs[w];
        if (_o.Eval == EvalProtocol.Full)
        {
            ScoreFull(w, users, test, epoch, h, items, batch);
            return;
        }
        var negatives = _o.Eval == EvalProtocol.Sampled100 ? 100 : 2499;
        var scores = _scores[w].AsSpan(0, negatives + 1);
        var candidates = _candidates[w].AsSpan(0, negatives + 1);
        for (var b = 0; b < users.Length; b++)
        {
            var u = users[b];
            var target = test ? _split.TestTarget(u) : _split.ValidationTarget(u);
            var hu = h.Row(batch.LastRow(b));
            sampler.Exclude(_split.Train(u));
            rng.Reseed(Rng.Mix((ulong)_o.Seed, test ? 0x7E57UL : 0x7A11UL, (ulong)epoch, (ulong)u));
            candidates[0] = target;
            for (var k = 1; k <= negatives; k++) candidates[k] = sampler.Negative(rng);
            for (var k = 0; k <= negatives; k++) scores[k] = TensorPrimitives.Dot<float>(hu, items.Row(candidates[k]));
            if (MetricSums.FirstNonFinite(scores) is var bad and >= 0)
            {
                _problems[w] = NonFinite(test, epoch, u, candidates[bad], scores[bad], target);
                return;
            }
            _sums[w].Add(MetricSums.Rank(scores, candidates), LogSumExp(scores) - scores[0]);
        }
    }

    // Scores a block of users at a time against the whole table with one GEMM, masks history and item 0, ranks, marks top-10.
    private void ScoreFull(int w, ReadOnlySpan<int> users, bool test, int epoch, Var<float> h, Var<float> items, SequenceBatch batch)
    {
        var n = items.Rows;
        var d = h.Cols;
        var block = _fullBlock[w];
        var rowsH = _scores[w]; // reused as a gather buffer for the last hidden states
        Span<int> top = stackalloc int[10];
        Span<float> topScore = stackalloc float[10];
        for (var b0 = 0; b0 < users.Length; b0 += _fullUsers)
        {
            var m = Math.Min(_fullUsers, users.Length - b0);
            var gathered = rowsH.AsSpan(0, m * d);
            for (var i = 0; i < m; i++) h.Row(batch.LastRow(b0 + i)).CopyTo(gathered.Slice(i * d, d));
            Gemm.Multiply(false, true, m, n, d, 1f, gathered, d, items.Value, d, 0f, block.AsSpan(0, m * n), n);
            for (var i = 0; i < m; i++)
            {
                var u = users[b0 + i];
                var row = block.AsSpan(i * n, n);
                var target = test ? _split.TestTarget(u) : _split.ValidationTarget(u);
                if (MetricSums.FirstNonFinite(row[1..]) is var bad and >= 0)
                {
                    _problems[w] = NonFinite(test, epoch, u, bad + 1, row[bad + 1], target);
                    return;
                }
                var targetScore = row[target];
                row[0] = float.NegativeInfinity;
                foreach (var item in test ? _split.TrainAndValidation(u) : _split.Train(u)) row[item] = float.NegativeInfinity;
                row[target] = targetScore;
                _sums[w].Add(MetricSums.Rank(row, target), LogSumExp(row) - targetScore);
                TopItems.Of(row, top, topScore);
                foreach (var t in top)
                    if (t > 0) _covered[w][t] = true;
            }
        }
    }

    private static string NonFinite(bool test, int epoch, int user, int item, float score, int target) =>
        $"Evaluation ({(test ? "test" : "validation")}, epoch {epoch}) stopped: user {user} (0-based index in the data set; " +
        $"target item {target}) got the score {score.ToString(System.Globalization.CultureInfo.InvariantCulture)} for item {item}; " +
        "every score must be a finite number. The weights have probably diverged: try a lower learning rate or gradient clipping.";

    // log Σ exp z_i = m + log Σ exp(z_i − m), m = max z, in vector lanes (one pass for m, one for the sum): exp in float is
    // good to ~1e-7 relative, far below the loss column's four decimals, and 20× cheaper than Math.Exp over a full row.
    private static double LogSumExp(ReadOnlySpan<float> z)
    {
        var max = TensorPrimitives.Max(z);
        var sum = 0f;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var shift = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            var lanes = MemoryMarshal.Cast<float, Vector512<float>>(z);
            foreach (var v in lanes) acc += Vector512.Exp(v - shift);
            sum = Vector512.Sum(acc);
            i = lanes.Length * Vector512<float>.Count;
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var shift = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            var lanes = MemoryMarshal.Cast<float, Vector256<float>>(z);
            foreach (var v in lanes) acc += Vector256.Exp(v - shift);
            sum = Vector256.Sum(acc);
            i = lanes.Length * Vector256<float>.Count;
        }
        for (; i < z.Length; i++) sum += MathF.Exp(z[i] - max);
        return max + Math.Log(sum);
    }
}
