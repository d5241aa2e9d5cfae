using System.Diagnostics;
using System.Numerics.Tensors;
using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Evaluation;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Optim;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Training;

/// <summary>
/// The native backend's training loop state and its steps (the plain loop lives in <see cref="Trainer"/>). One model, graph, loss
/// head, batch and sampler per worker; the batch is split into fixed contiguous shares; per-worker gradients are
/// summed in worker order, then one optimiser step runs over the flat parameter array, split across workers by range.
/// Streams for batch order, negatives and dropout are derived from (seed, epoch or step, worker).
/// </summary>
public sealed class TrainingSession : ITrainingSession
{
    private const ulong NegativeStream = TrainingStreams.Negatives, DropoutStream = TrainingStreams.Dropout, InitStream = TrainingStreams.Init;
    private readonly WorkerPool _pool;
    private readonly ISequenceModel<float>[] _models;
    private readonly Graph<float>[] _graphs;
    private readonly LossHead<float>[] _heads;
    private readonly SequenceBatch[] _batches;
    private readonly BatchSampler[] _samplers;
    private readonly Rng[] _rngs;
    private readonly int[] _counts;
    private readonly double[] _losses, _norms;
    private readonly int[] _trainUsers;
    private readonly float[]? _shadow;
    private readonly Action<int> _fill, _forwardBackward, _reduce, _update;
    private ReadOnlyMemory<int> _stepUsers;
    private double _scale, _lr, _clipFactor;
    private bool _reducedBeforeUpdate;

    public TrainingSession(RunOptions options, SequenceSet data)
    {
        var problems = options.Validate(data.ItemCount);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        Options = options;
        Split = new LeaveOneOutSplit(data);
        var workers = options.Threads;
        _pool = new WorkerPool(workers);
        _models = new ISequenceModel<float>[workers];
        for (var w = 0; w < workers; w++) _models[w] = ModelFactory.Create<float>(options, data.ItemCount);
        for (var w = 1; w < workers; w++)
            if (!_models[w].Layout.SameAs(_models[0].Layout)) throw new InvalidOperationException("Model layouts differ across workers.");
        Layout = _models[0].Layout;
        Parameters = new ParameterStore<float>(Layout);
        _models[0].Initialize(Parameters.Values, Rng.For((ulong)options.Seed, InitStream));
        if (options.Precision == Precision.Bf16) _shadow = new float[Layout.Length];
        _graphs = new Graph<float>[workers];
        _heads = new LossHead<float>[workers];
        for (var w = 0; w < workers; w++)
        {
            _graphs[w] = new Graph<float>(Parameters) { Bf16 = options.Precision == Precision.Bf16, ComputeWeights = _shadow };
            _models[w].Attach(_graphs[w]);
            _heads[w] = new LossHead<float>(options, _graphs[w], _models[w].ItemEmbedding);
        }
        RefreshShadow(0, Layout.Length);
        _batches = Enumerable.Range(0, workers).Select(_ => new SequenceBatch(options.MaxLength)).ToArray();
        _samplers = Enumerable.Range(0, workers).Select(_ => new BatchSampler(Split, options.MaxLength)).ToArray();
        _rngs = Enumerable.Range(0, workers).Select(_ => new Rng(0)).ToArray();
        _counts = new int[workers];
        _losses = new double[workers];
        _norms = new double[workers];
        Optimizer = new Optimizer(options, Layout);
        _trainUsers = TrainingStreams.TrainUsers(Split, options);
        if (_trainUsers.Length == 0) throw new ArgumentException("No user has two training items; nothing to train on.");
        Progress = new TrainingProgress(options, _trainUsers);
        Evaluator = new Evaluator(options, Split, _models, _graphs, _pool);
        _fill = Fill;
        _forwardBackward = ForwardBackward;
        _reduce = Reduce;
        _update = Update;
    }

    public RunOptions Options { get; }
    public string Backend => TrainingBackends.Native;
    public string Device => DeviceNames.Cpu;
    public string Compute => $"GEMM backend: {Gemm.BackendName}; {Options.Threads} worker thread(s)";
    public OptimizerKind OptimizerKind => Optimizer.Kind;
    public void SwitchToSgd() => Optimizer.SwitchToSgd();
    public LeaveOneOutSplit Split { get; }
    public ParameterLayout Layout { get; }
    public ParameterStore<float> Parameters { get; }
    public Optimizer Optimizer { get; }
    public Evaluator Evaluator { get; }
    public ParameterCounts Counts => new(Layout.EmbeddingCount, Layout.NonEmbeddingCount);
    public TrainingProgress Progress { get; }

    /// <summary>Global L2 norm of the last step's summed gradients before clipping; null when clipping is off.</summary>
    public double? LastGradientNorm { get; private set; }

    /// <summary>Per-op and per-phase ticks of worker 0 when profiling (see <see cref="EnableProfile"/>).</summary>
    public Dictionary<string, long>? Profile { get; private set; }

    /// <summary>With <see cref="Profile"/>: worker 0's floating-point operations per op, where the op counts them.</summary>
    public Dictionary<string, long>? ProfileFlops { get; private set; }

    public void EnableProfile()
    {
        Profile = new Dictionary<string, long>();
        ProfileFlops = new Dictionary<string, long>();
        _graphs[0].Profile = Profile;
        _graphs[0].ProfileFlops = ProfileFlops;
    }

    /// <summary>One optimiser step on the next batch of the epoch; returns the batch's mean loss.</summary>
    public double TrainStep()
    {
        _stepUsers = Progress.NextBatchUsers();
        var t0 = Stopwatch.GetTimestamp();
        _pool.Run(_fill);
        var total = 0;
        foreach (var c in _counts) total += c;
        _scale = 1.0 / Math.Max(total, 1);
        var t1 = Stopwatch.GetTimestamp();
        _graphs[0].Mark();
        _pool.Run(_forwardBackward);
        var t2 = Stopwatch.GetTimestamp();
        var loss = 0.0;
        foreach (var l in _losses) loss += l;
        _lr = Progress.BeginStep(Optimizer.Kind);
        Optimizer.Steps++;
        // Clipping needs the global norm before any update, so the gradients are reduced in a pass of their own;
        // without clipping the reduce runs inside the update pass.
        _reducedBeforeUpdate = Options.ClipNorm is not null;
        if (Options.ClipNorm is { } clip)
        {
            _pool.Run(_reduce);
            var sq = 0.0;
            foreach (var n in _norms) sq += n;
            LastGradientNorm = Math.Sqrt(sq);
            _clipFactor = Optimizer.ClipFactor(LastGradientNorm.Value, clip);
        }
        _pool.Run(_update);
        var t3 = Stopwatch.GetTimestamp();
        if (Profile is not null)
        {
            Profile["sample negatives + batch"] = Profile.GetValueOrDefault("sample negatives + batch") + (t1 - t0);
            Profile["forward+backward (wall, all workers)"] = Profile.GetValueOrDefault("forward+backward (wall, all workers)") + (t2 - t1);
            Profile["grad reduce + optimizer"] = Profile.GetValueOrDefault("grad reduce + optimizer") + (t3 - t2);
        }
        Progress.EndStep(loss);
        return loss;
    }

    private void Fill(int w)
    {
        var workers = _pool.Workers;
        var count = _stepUsers.Length;
        var from = count * w / workers;
        var to = count * (w + 1) / workers;
        _rngs[w].Reseed(Rng.Mix((ulong)Options.Seed, NegativeStream, (ulong)Progress.Step + 1, (ulong)w));
        _samplers[w].FillTraining(_batches[w], _stepUsers.Span[from..to], LossHead<float>.NegativesFor(Options),
            LossHead<float>.ExcludesHistory(Options), _rngs[w]);
        _counts[w] = _batches[w].TargetCount();
    }

    private void ForwardBackward(int w)
    {
        var graph = _graphs[w];
        graph.Begin(training: true);
        graph.Rng.Reseed(Rng.Mix((ulong)Options.Seed, DropoutStream, (ulong)Progress.Step + 1, (ulong)w));
        _losses[w] = 0;
        if (_batches[w].Count == 0) return;
        var h = _models[w].Forward(_batches[w]);
        _losses[w] = _heads[w].Forward(h, _batches[w], _scale);
        if (graph.Profile is not null)
        {
            graph.Attribute("fwd loss", graph.Tape.Last);
            graph.Tape.Backward(graph.Profile, graph.ProfileFlops);
        }
        else graph.Tape.Backward();
    }

    private (int From, int To) Range(int w)
    {
        var n = Layout.Length;
        var workers = _pool.Workers;
        // Split on 64-element boundaries so vector loops stay aligned.
        var from = (int)((long)n * w / workers) & ~63;
        var to = w == workers - 1 ? n : (int)((long)n * (w + 1) / workers) & ~63;
        return (from, to);
    }

    // Sums worker gradients into worker 0's array (worker order fixed) and the squared norm of this range.
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
        var src = Parameters.Values.AsSpan(from, to - from);
        var dst = _shadow.AsSpan(from, to - from);
        src.CopyTo(dst);
        Bf16.RoundInPlace(dst);
    }

    /// <summary>Validation or test metrics for the current weights.</summary>
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
