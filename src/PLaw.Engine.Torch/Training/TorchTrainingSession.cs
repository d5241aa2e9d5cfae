using System.Text.Json;
using PLaw.Data.Sequences;
using PLaw.Engine.Autograd;
using PLaw.Engine.Evaluation;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Torch.Models;
using PLaw.Engine.Torch.Runtime;
using PLaw.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Training;

/// <summary>
/// A run on libtorch. The data side is the native one: <see cref="LeaveOneOutSplit"/>, <see cref="BatchSampler"/>, the
/// training users' per-epoch order and the negatives from the same streams (<see cref="TrainingStreams"/>), one batch per
/// step as the native worker 0 (so a torch run sees the batches of a native run with one thread). Forward and backward
/// run on the torch model (float32, on <see cref="Device"/>, torch.set_num_threads(Threads)), the loss in
/// <see cref="TorchLossHead"/>, the update in <see cref="TorchOptimizer"/> over the flat parameter tensor.
/// Evaluation copies the weights into a native float model and runs the native <see cref="Evaluator"/>: candidates,
/// negatives, tie rules and metrics are then the native ones by construction, whatever the backend (it scores on the
/// CPU with Threads workers; scoring is a small share of a run's time).
/// Checkpoints are the native <see cref="Checkpoint"/> format (flat weights, M, V as float arrays in the native layout),
/// so a torch run resumes bit for bit on the same device, and a checkpoint moves between backends.
/// Dropout uses torch's generator, reseeded each step from (seed, step); it is process-wide, so two torch runs with
/// dropout in one process are deterministic only one at a time. bf16 is refused (TorchSharp 0.107 has no autocast;
/// the native backend emulates it).
/// </summary>
public sealed class TorchTrainingSession : ITrainingSession
{
    private readonly TorchSequenceModel _model;
    private readonly TorchLossHead _head;
    private readonly TorchOptimizer _optimizer;
    private readonly torch.Device _device;
    private readonly SequenceBatch _batch;
    private readonly BatchSampler _sampler;
    private readonly Rng _rng = new(0);
    private readonly int[] _trainUsers, _order;
    private readonly WorkerPool _pool;
    private readonly ParameterStore<float> _evalWeights;
    private readonly Evaluator _evaluator;
    private double _lr;

    public TorchTrainingSession(RunOptions options, SequenceSet data, string device)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        var problems = options.Validate(data.ItemCount);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        if (options.Precision == Precision.Bf16)
            throw new ArgumentException("Precision bf16 is not available on the torch backend yet (TorchSharp 0.107 has no autocast); " +
                                        "use fp32, or the native backend's emulated bf16.");
        Options = options;
        Device = device;
        torch.set_num_threads(options.Threads);
        _device = torch.device(device);
        Split = new LeaveOneOutSplit(data);
        _trainUsers = TrainingStreams.TrainUsers(Split, options);
        if (_trainUsers.Length == 0) throw new ArgumentException("No user has two training items; nothing to train on.");
        _order = new int[_trainUsers.Length];

        // The native evaluation stack; its initialiser also draws the run's initial weights, as the native session does.
        var workers = options.Threads;
        _pool = new WorkerPool(workers);
        var evalModels = new ISequenceModel<float>[workers];
        for (var w = 0; w < workers; w++) evalModels[w] = ModelFactory.Create<float>(options, data.ItemCount);
        Layout = evalModels[0].Layout;
        _evalWeights = new ParameterStore<float>(Layout);
        evalModels[0].Initialize(_evalWeights.Values, Rng.For((ulong)options.Seed, TrainingStreams.Init));
        var graphs = new Graph<float>[workers];
        for (var w = 0; w < workers; w++)
        {
            graphs[w] = new Graph<float>(_evalWeights);
            evalModels[w].Attach(graphs[w]);
        }
        _evaluator = new Evaluator(options, Split, evalModels, graphs, _pool);

        _model = TorchModelFactory.Create(options, data.ItemCount, _device, ScalarType.Float32);
        if (!_model.Layout.SameAs(Layout)) throw new InvalidOperationException("The torch model's parameter layout differs from the native one.");
        _model.Load(_evalWeights.Values);
        _head = new TorchLossHead(options);
        _optimizer = new TorchOptimizer(options, Layout, _model.Flat);
        _batch = new SequenceBatch(options.MaxLength);
        _sampler = new BatchSampler(Split, options.MaxLength);
        Epoch = 1;
        TrainingStreams.Shuffle(options.Seed, Epoch, _trainUsers, _order);
    }

    public RunOptions Options { get; }
    public string Backend => TrainingBackends.Torch;
    public string Device { get; }
    public string Compute => $"libtorch {torch.__version__}; {Options.Threads} thread(s); float32" + GpuDetails();

    // The GPU's name and memory, as far as TorchSharp tells them (0.107 gives only the device count).
    private string GpuDetails()
    {
        if (DeviceNames.CudaIndex(Device) is not { } index) return "";
        var gpu = TorchRuntime.Probe().CudaDevices.FirstOrDefault(d => d.Index == index);
        var name = gpu?.Name ?? "name unknown";
        var memory = gpu?.TotalMemoryBytes is { } bytes ? $"{bytes / (1024.0 * 1024 * 1024):F1} GiB" : "memory unknown";
        return $"; GPU {Device}: {name}, {memory}" + (gpu?.Name is null ? $" ({TorchRuntime.DeviceDetailsMissing})" : "");
    }
    public LeaveOneOutSplit Split { get; }
    public ParameterLayout Layout { get; }

    /// <summary>The torch model (its <see cref="TorchSequenceModel.Flat"/> holds the weights).</summary>
    public TorchSequenceModel Model => _model;
    public TorchOptimizer Optimizer => _optimizer;

    public ParameterCounts Counts => new(Layout.EmbeddingCount, Layout.NonEmbeddingCount);
    public int TrainUserCount => _trainUsers.Length;
    public int StepsPerEpoch => (_trainUsers.Length + Options.BatchSize - 1) / Options.BatchSize;
    public long TotalSteps => (long)StepsPerEpoch * Options.Epochs;
    public int Epoch { get; private set; }
    public int StepInEpoch { get; private set; }
    public long Step { get; private set; }
    public double EpochLossSum { get; private set; }
    public int EpochLossCount { get; private set; }
    public double LastLearningRate => _lr;
    public bool EpochDone => StepInEpoch >= StepsPerEpoch;
    public OptimizerKind OptimizerKind => _optimizer.Kind;
    public double BestValid { get; set; } = double.NegativeInfinity;
    public int EvalsSinceBest { get; set; }

    /// <summary>Global L2 norm of the last step's gradients before clipping; null when clipping is off.</summary>
    public double? LastGradientNorm { get; private set; }

    public void SwitchToSgd() => _optimizer.SwitchToSgd();

    public void NextEpoch()
    {
        Epoch++;
        StepInEpoch = 0;
        EpochLossSum = 0;
        EpochLossCount = 0;
        TrainingStreams.Shuffle(Options.Seed, Epoch, _trainUsers, _order);
    }

    /// <summary>The learning rate of global step <paramref name="step"/> (1-based) under the current optimiser, as native.</summary>
    public double LearningRateAt(long step) => _optimizer.Kind == OptimizerKind.Sgd && Options.Optimizer != OptimizerKind.Sgd
        ? Options.SgdLearningRate
        : Schedules.LearningRateSchedule(Options, step, TotalSteps);

    public double TrainStep()
    {
        if (EpochDone) throw new InvalidOperationException("The epoch is done; call NextEpoch.");
        var from = StepInEpoch * Options.BatchSize;
        var count = Math.Min(Options.BatchSize, _order.Length - from);
        _rng.Reseed(TrainingStreams.StepSeed(Options.Seed, TrainingStreams.Negatives, Step + 1, 0));
        _sampler.FillTraining(_batch, _order.AsSpan(from, count), LossHead<float>.NegativesFor(Options),
            LossHead<float>.ExcludesHistory(Options), _rng);
        var scale = 1.0 / Math.Max(_batch.TargetCount(), 1);
        torch.manual_seed((long)TrainingStreams.StepSeed(Options.Seed, TrainingStreams.Dropout, Step + 1, 0));
        double loss;
        try
        {
            using var scope = NewDisposeScope();
            var batch = new TorchBatch(_batch, _device);
            var h = _model.Forward(batch, training: true);
            var l = _head.Forward(h, _model.ItemEmbedding(), batch, scale);
            l.backward();
            loss = l.item<double>();
            batch.Dispose();
        }
        catch (Exception e) when (TorchOutOfMemory.Is(e))
        {
            throw TorchOutOfMemory.Explain(e, Options, Counts, Device);
        }
        Step++;
        _optimizer.Steps++;
        _lr = LearningRateAt(Step);
        using var grad = _model.Flat.grad ?? throw new InvalidOperationException("The backward pass left no gradient.");
        if (Options.ClipNorm is { } clip) LastGradientNorm = TorchOptimizer.Clip(grad, clip);
        _optimizer.Step(_model.Flat, grad, _lr);
        using (no_grad()) grad.zero_();
        StepInEpoch++;
        EpochLossSum += loss;
        EpochLossCount++;
        return loss;
    }

    public Dictionary<string, double> Evaluate(bool test)
    {
        _model.ValuesAsSingle().CopyTo(_evalWeights.Values, 0);
        return _evaluator.Evaluate(test, Epoch);
    }

    public Checkpoint ToCheckpoint(List<EpochSummary> history, double epochSeconds, double elapsedSeconds) => new()
    {
        OptionsJson = JsonSerializer.Serialize(Options),
        Epoch = Epoch, StepInEpoch = StepInEpoch, Step = Step, EpochLossSum = EpochLossSum, EpochLossCount = EpochLossCount,
        EpochSeconds = epochSeconds, ElapsedSeconds = elapsedSeconds,
        Optimizer = _optimizer.Kind.ToString(), OptimizerSteps = _optimizer.Steps, BestValid = BestValid, EvalsSinceBest = EvalsSinceBest,
        RngState = Rng.For((ulong)Options.Seed, (ulong)Step).State,
        History = [.. history],
        Weights = _model.ValuesAsSingle(), M = TorchOptimizer.AsSingle(_optimizer.M), V = TorchOptimizer.AsSingle(_optimizer.V),
    };

    public void Restore(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Weights.Length != Layout.Length)
            throw new ArgumentException($"The checkpoint holds {checkpoint.Weights.Length:N0} parameters; this model ({Options.DisplayName}) has " +
                                        $"{Layout.Length:N0}.");
        _model.Load(checkpoint.Weights);
        _optimizer.Restore(Enum.Parse<OptimizerKind>(checkpoint.Optimizer), checkpoint.OptimizerSteps, checkpoint.M, checkpoint.V);
        Epoch = checkpoint.Epoch;
        StepInEpoch = checkpoint.StepInEpoch;
        Step = checkpoint.Step;
        EpochLossSum = checkpoint.EpochLossSum;
        EpochLossCount = checkpoint.EpochLossCount;
        BestValid = checkpoint.BestValid;
        EvalsSinceBest = checkpoint.EvalsSinceBest;
        TrainingStreams.Shuffle(Options.Seed, Epoch, _trainUsers, _order);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _pool.Dispose();
    }
}
