using System.Text.Json;
using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Challenges;

/// <summary>
/// Full-catalogue scores for inputs the challenges build (truncated, perturbed, extended by generated items): per worker,
/// up to <see cref="Block"/> left-padded windows go through the model at once, and their last hidden states are scored
/// against the whole item table with one GEMM (the <see cref="Evaluation.Evaluator"/>'s full protocol, scores h·E_j).
/// Item 0 (padding) scores −∞. A finished run is scored with the native engine from its checkpoint
/// (<see cref="FromCheckpoint"/>); torch runs store the same parameter layout.
/// </summary>
public sealed class ChallengeScorer : IDisposable
{
    public const int Block = 16;
    private readonly ISequenceModel<float>[] _models;
    private readonly Graph<float>[] _graphs;
    private readonly SequenceBatch[] _batches;
    private readonly float[][] _gathered, _scores;
    private readonly bool _ownsPool;

    public ChallengeScorer(RunOptions options, SequenceSet data, ISequenceModel<float>[] models, Graph<float>[] graphs, WorkerPool pool,
        bool ownsPool = false)
    {
        (Options, Data, _models, _graphs, Pool, _ownsPool) = (options, data, models, graphs, pool, ownsPool);
        Split = new LeaveOneOutSplit(data);
        var w = pool.Workers;
        var n = data.ItemCount + 1;
        _batches = Enumerable.Range(0, w).Select(_ => new SequenceBatch(options.MaxLength)).ToArray();
        _gathered = Enumerable.Range(0, w).Select(_ => new float[Block * models[0].Options.Dim]).ToArray();
        _scores = Enumerable.Range(0, w).Select(_ => new float[Block * n]).ToArray();
    }

    /// <summary>A scorer over <paramref name="weights"/> (a checkpoint's flat parameter array) with <paramref name="threads"/> workers.</summary>
    public static ChallengeScorer FromWeights(RunOptions options, SequenceSet data, float[] weights, int threads)
    {
        var problems = options.Validate(data.ItemCount);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        if (options.Task == RunTask.Ranking)
            throw new ArgumentException($"{options.DisplayName} is a ranking run (AUC, GAUC, LogLoss); the challenges score next-item retrieval runs.");
        var models = new ISequenceModel<float>[threads];
        for (var w = 0; w < threads; w++) models[w] = ModelFactory.Create<float>(options, data.ItemCount);
        var layout = models[0].Layout;
        if (layout.Length != weights.Length)
            throw new ArgumentException($"The checkpoint holds {weights.Length:N0} weights; {options.DisplayName} over {data.ItemCount:N0} items has " +
                                        $"{layout.Length:N0}: the checkpoint does not match the run's options and dataset.");
        var store = new ParameterStore<float>(layout);
        weights.CopyTo(store.Values, 0);
        float[]? shadow = null;
        if (options.Precision == Precision.Bf16)
        {
            // A bf16 run was evaluated on bf16-rounded matrices; score it the same way.
            shadow = (float[])weights.Clone();
            Bf16.RoundInPlace(shadow);
        }
        var graphs = new Graph<float>[threads];
        for (var w = 0; w < threads; w++)
        {
            graphs[w] = new Graph<float>(store) { Bf16 = shadow is not null, ComputeWeights = shadow, PackedHidden = LossHead<float>.PackByDefault };
            models[w].Attach(graphs[w]);
        }
        return new ChallengeScorer(options, data, models, graphs, new WorkerPool(threads), ownsPool: true);
    }

    /// <summary>A scorer for a checkpoint of a run over <paramref name="data"/> (its options are in the checkpoint).</summary>
    public static ChallengeScorer FromCheckpoint(Checkpoint checkpoint, SequenceSet data, int? threads = null)
    {
        var options = JsonSerializer.Deserialize<RunOptions>(checkpoint.OptionsJson)
                      ?? throw new InvalidDataException("The checkpoint holds no run options.");
        return FromWeights(options, data, checkpoint.Weights, Math.Max(1, threads ?? options.Threads));
    }

    public RunOptions Options { get; }
    public SequenceSet Data { get; }
    public LeaveOneOutSplit Split { get; }
    public WorkerPool Pool { get; }
    public int Workers => Pool.Workers;
    public int ItemCount => Data.ItemCount;
    public int MaxLength => Options.MaxLength;
    public bool HasTimes => Data.Timestamps is not null;

    /// <summary>Starts worker <paramref name="w"/>'s block of <paramref name="count"/> ≤ <see cref="Block"/> inputs.</summary>
    public void Begin(int w, int count)
    {
        if (count is < 1 or > Block) throw new ArgumentOutOfRangeException(nameof(count), $"A block holds 1..{Block} inputs.");
        _batches[w].Reset(count, 0);
        _batches[w].HasTimes = HasTimes;
    }

    /// <summary>Input <paramref name="b"/> of the block: the last L of <paramref name="items"/>, left-padded; with timestamps, each
    /// input's time and the time of the item to predict (HSTU's time bias), as the evaluator feeds them.</summary>
    public void SetInput(int w, int b, ReadOnlySpan<int> items, ReadOnlySpan<long> times, long targetTime)
    {
        var batch = _batches[w];
        var l = batch.Length;
        var n = Math.Min(l, items.Length);
        var withTimes = batch.HasTimes && !times.IsEmpty;
        for (var i = 0; i < n; i++)
        {
            var r = b * l + l - n + i;
            var k = items.Length - n + i;
            batch.Inputs[r] = items[k];
            if (withTimes)
            {
                batch.InputTimes[r] = times[k];
                batch.TargetTimes[r] = i + 1 < n ? times[k + 1] : targetTime;
            }
        }
    }

    /// <summary>Scores the block: rows of I + 1 scores (item 0 = −∞), one per input, valid until the next <see cref="Score"/>.</summary>
    public void Score(int w)
    {
        var batch = _batches[w];
        var graph = _graphs[w];
        graph.Begin(training: false);
        var h = _models[w].Forward(batch);
        var items = graph.Param(_models[w].ItemEmbedding);
        int m = batch.Count, d = h.Cols, n = items.Rows;
        var gathered = _gathered[w].AsSpan(0, m * d);
        for (var i = 0; i < m; i++) h.Row(batch.LastRow(i)).CopyTo(gathered.Slice(i * d, d));
        var block = _scores[w].AsSpan(0, m * n);
        Gemm.Multiply(false, true, m, n, d, 1f, gathered, d, items.Value, d, 0f, block, n);
        for (var i = 0; i < m; i++) block[i * n] = float.NegativeInfinity;
    }

    /// <summary>Input <paramref name="b"/>'s scores after <see cref="Score"/>, indexed by item id.</summary>
    public Span<float> Row(int w, int b)
    {
        var n = ItemCount + 1;
        return _scores[w].AsSpan(b * n, n);
    }

    /// <summary>Runs <paramref name="work"/> over <paramref name="users"/> in blocks of at most <see cref="Block"/>, each worker
    /// on a fixed contiguous range (results do not depend on timing); stops at the next block once <paramref name="ct"/> fires.</summary>
    public void ForEachBlock(int[] users, Action<int, int, int> work, ChallengeProgress progress, CancellationToken ct)
    {
        var workers = Workers;
        Pool.Run(w =>
        {
            var from = (int)((long)users.Length * w / workers);
            var to = (int)((long)users.Length * (w + 1) / workers);
            for (var b0 = from; b0 < to; b0 += Block)
            {
                if (ct.IsCancellationRequested) return;
                var count = Math.Min(Block, to - b0);
                work(w, b0, count);
                progress.Advance(w, count);
            }
        });
        ct.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        if (_ownsPool) Pool.Dispose();
    }
}
