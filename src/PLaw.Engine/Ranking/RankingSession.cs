using System.Numerics.Tensors;
using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Ranking;

/// <summary>
/// The native backend's session for the ranking task (<see cref="RunTask.Ranking"/>): the same loop, optimiser, schedule,
/// clipping, checkpoints and worker split as <see cref="TrainingSession"/>, with a <see cref="Ranker{T}"/> and the
/// <see cref="ImpressionLoss{T}"/> in place of the retrieval model and loss head. A step's windows are the users' newest L
/// training impressions, interleaved; every item token is a target. Evaluation is <see cref="RankingEvaluator"/>.
/// </summary>
public sealed class RankingSession : ITrainingSession
{
    private readonly WorkerPool _pool;
    private readonly Ranker<float>[] _rankers;
    private readonly Graph<float>[] _graphs;
    private readonly ImpressionLoss<float>[] _losses;
    private readonly SequenceBatch[] _batches;
    private readonly sbyte[][] _targets;
    private readonly int[] _counts;
    private readonly double[] _stepLosses, _norms;
    private readonly float[]? _shadow;
    private readonly Action<int> _fill, _forwardBackward, _reduce, _update;
    private ReadOnlyMemory<int> _stepUsers;
    private double _scale, _lr, _clipFactor;
    private bool _reducedBeforeUpdate;

    public RankingSession(RunOptions options, SequenceSet data)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate(data.ItemCount);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        if (options.Task != RunTask.Ranking) throw new ArgumentException("A ranking session needs --task ranking.", nameof(options));
        RankingRules.CheckData(data);
        Options = options;
        Split = new RankingSplit(data);
        var workers = options.Threads;
        _pool = new WorkerPool(workers);
        _rankers = Enumerable.Range(0, workers).Select(_ => new Ranker<float>(options, data.ItemCount)).ToArray();
        Layout = _rankers[0].Layout;
        Parameters = new ParameterStore<float>(Layout);
        _rankers[0].Initialize(Parameters.Values, Rng.For((ulong)options.Seed, TrainingStreams.Init));
        if (options.Precision == Precision.Bf16) _shadow = new float[Layout.Length];
        _graphs = new Graph<float>[workers];
        _losses = new ImpressionLoss<float>[workers];
        for (var w = 0; w < workers; w++)
        {
            _graphs[w] = new Graph<float>(Parameters) { Bf16 = options.Precision == Precision.Bf16, ComputeWeights = _shadow };
            _rankers[w].Attach(_graphs[w]);
            _losses[w] = new ImpressionLoss<float>(_graphs[w]);
        }
        RefreshShadow(0, Layout.Length);
        var window = _rankers[0].Window;
        _batches = Enumerable.Range(0, workers).Select(_ => new SequenceBatch(window)).ToArray();
        _targets = Enumerable.Range(0, workers).Select(_ => Array.Empty<sbyte>()).ToArray();
        _counts = new int[workers];
        _stepLosses = new double[workers];
        _norms = new double[workers];
        Optimizer = new Optimizer(options, Layout);
        Progress = new TrainingProgress(options, Split.TrainUsers);
        Evaluator = new RankingEvaluator(options, Split, _rankers, _graphs, _pool);
        _fill = Fill;
        _forwardBackward = ForwardBackward;
        _reduce = Reduce;
        _update = Update;
    }

    public RunOptions Options { get; }
    public string Backend => TrainingBackends.Native;
    public string Device => DeviceNames.Cpu;
    public string Compute => $"GEMM backend: {Gemm.BackendName}; {Options.Threads} worker thread(s); ranking (interleaved items and actions)";
    public OptimizerKind OptimizerKind => Optimizer.Kind;
    public void SwitchToSgd() => Optimizer.SwitchToSgd();
    public RankingSplit Split { get; }
    public ParameterLayout Layout { get; }
    public ParameterStore<float> Parameters { get; }
    public Optimizer Optimizer { get; }
    public RankingEvaluator Evaluator { get; }
    public ParameterCounts Counts => new(Layout.EmbeddingCount, Layout.NonEmbeddingCount);
    public TrainingProgress Progress { get; }

    /// <summary>One optimiser step on the next batch of the epoch; returns the batch's mean impression loss.</summary>
    public double TrainStep()
    {
        _stepUsers = Progress.NextBatchUsers();
        _pool.Run(_fill);
        var total = 0;
        foreach (var c in _counts) total += c;
        _scale = 1.0 / Math.Max(total, 1);
        _pool.Run(_forwardBackward);
        var loss = 0.0;
        foreach (var l in _stepLosses) loss += l;
        _lr = Progress.BeginStep(Optimizer.Kind);
        Optimizer.Steps++;
        _reducedBeforeUpdate = Options.ClipNorm is not null;
        if (Options.ClipNorm is { } clip)
        {
            _pool.Run(_reduce);
            var sq = 0.0;
            foreach (var n in _norms) sq += n;
            _clipFactor = Optimizer.ClipFactor(Math.Sqrt(sq), clip);
        }
        _pool.Run(_update);
        Progress.EndStep(loss);
        return loss;
    }

    private void Fill(int w)
    {
        var workers = _pool.Workers;
        var users = _stepUsers.Span[(_stepUsers.Length * w / workers)..(_stepUsers.Length * (w + 1) / workers)];
        var batch = _batches[w];
        batch.Reset(users.Length, 0);
        var seq = Split.Sequences;
        batch.HasTimes = seq.Timestamps is not null;
        if (_targets[w].Length < batch.Rows) _targets[w] = new sbyte[batch.Rows];
        var count = 0;
        for (var b = 0; b < users.Length; b++)
        {
            var u = users[b];
            var n = Split.TrainLength(u);
            var times = seq.Times(u);
            Interleaving.Fill(batch, b, seq.ItemCount, seq.Sequence(u)[..n], seq.LabelsOf(u)[..n], times.IsEmpty ? default : times[..n],
                historyTargets: true, candidate: 0, candidateLabel: false, candidateTime: 0, _targets[w]);
            count += Math.Min(n, Options.MaxLength);
        }
        _counts[w] = count;
    }

    private void ForwardBackward(int w)
    {
        var graph = _graphs[w];
        graph.Begin(training: true);
        graph.Rng.Reseed(TrainingStreams.StepSeed(Options.Seed, TrainingStreams.Dropout, Progress.Step + 1, w));
        _stepLosses[w] = 0;
        if (_batches[w].Count == 0) return;
        var logits = _rankers[w].Forward(_batches[w]);
        _stepLosses[w] = _losses[w].Forward(logits, _targets[w], _scale);
        graph.Tape.Backward();
    }

    private (int From, int To) Range(int w)
    {
        var n = Layout.Length;
        var workers = _pool.Workers;
        var from = (int)((long)n * w / workers) & ~63;
        var to = w == workers - 1 ? n : (int)((long)n * (w + 1) / workers) & ~63;
        return (from, to);
    }

    // Sums worker gradients into worker 0's array in worker order, and this range's squared norm (as TrainingSession).
    private void Reduce(int w)
    {
        var (from, to) = Range(w);
        var g0 = _graphs[0].Grads.AsSpan(from, to - from);
        for (var k = 1; k < _graphs.Length; k++)
        {
            var gk = _graphs[k].Grads.AsSpan(from, to - from);
            TensorPrimitives.Add(g0, gk, g0);
            gk.Clear();
        }
        _norms[w] = Optimizer.SumOfSquares(g0);
    }

    private void Update(int w)
    {
        var (from, to) = Range(w);
        var g0 = _graphs[0].Grads.AsSpan(from, to - from);
        if (_reducedBeforeUpdate) Optimizer.Scale(g0, _clipFactor);
        else Reduce(w);
        Optimizer.Step(Parameters.Values, _graphs[0].Grads, _lr, from, to);
        g0.Clear();
        RefreshShadow(from, to);
    }

    private void RefreshShadow(int from, int to)
    {
        if (_shadow is null) return;
        var dst = _shadow.AsSpan(from, to - from);
        Parameters.Values.AsSpan(from, to - from).CopyTo(dst);
        Bf16.RoundInPlace(dst);
    }

    /// <summary>AUC, GAUC and LogLoss of the validation or test impressions under the current weights.</summary>
    public Dictionary<string, double> Evaluate(bool test) => Evaluator.Evaluate(test, Progress.Epoch);

    public Checkpoint ToCheckpoint(List<EpochSummary> history, double epochSeconds, double elapsedSeconds) =>
        Progress.ToCheckpoint(history, epochSeconds, elapsedSeconds, Optimizer.Kind, Optimizer.Steps,
            (float[])Parameters.Values.Clone(), (float[])Optimizer.M.Clone(), (float[])Optimizer.V.Clone());

    public void Restore(Checkpoint checkpoint) => Progress.Restore(checkpoint, Parameters.Values.Length, () =>
    {
        checkpoint.Weights.CopyTo(Parameters.Values, 0);
        checkpoint.M.CopyTo(Optimizer.M, 0);
        checkpoint.V.CopyTo(Optimizer.V, 0);
        Optimizer.Restore(Enum.Parse<OptimizerKind>(checkpoint.Optimizer), checkpoint.OptimizerSteps);
        RefreshShadow(0, Layout.Length);
    });

    public void Dispose() => _pool.Dispose();
}
