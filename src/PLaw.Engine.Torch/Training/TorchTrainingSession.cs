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
/// step as the native worker 0 (so a torch run sees the batches of a native run with one thread). The position, learning
/// rate, batch order and checkpoint bookkeeping are the native session's too: the shared <see cref="TrainingProgress"/>. Forward and backward
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
    private readonly int[] _trainUsers;
    private readonly WorkerPool _pool;
    private readonly ParameterStore<float> _evalWeights;
    private readonly Evaluator _evaluator;
    private readonly TorchBatchStaging _staging = new();

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
        Progress = new TrainingProgress(options, _trainUsers);

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
    public TrainingProgress Progress { get; }
    public OptimizerKind OptimizerKind => _optimizer.Kind;

    /// <summary>Global L2 norm of the last step's gradients before clipping; null when clipping is off.</summary>
    public double? LastGradientNorm { get; private set; }

    public void SwitchToSgd() => _optimizer.SwitchToSgd();

    public double TrainStep()
    {
        var users = Progress.NextBatchUsers();
        var step = Progress.Step + 1;
        _rng.Reseed(TrainingStreams.StepSeed(Options.Seed, TrainingStreams.Negatives, step, 0));
        _sampler.FillTraining(_batch, users.Span, LossHead<float>.NegativesFor(Options), LossHead<float>.ExcludesHistory(Options), _rng);
        var scale = 1.0 / Math.Max(_batch.TargetCount(), 1);
        torch.manual_seed((long)TrainingStreams.StepSeed(Options.Seed, TrainingStreams.Dropout, step, 0));
        double loss;
        try
        {
            using var scope = NewDisposeScope();
            var batch = new TorchBatch(_batch, _device, _staging);
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
        var lr = Progress.BeginStep(_optimizer.Kind);
        _optimizer.Steps++;
        using var grad = _model.Flat.grad ?? throw new InvalidOperationException("The backward pass left no gradient.");
        if (Options.ClipNorm is { } clip) LastGradientNorm = TorchOptimizer.Clip(grad, clip);
        _optimizer.Step(_model.Flat, grad, lr);
        using (no_grad()) grad.zero_();
        Progress.EndStep(loss);
        return loss;
    }

    public Dictionary<string, double> Evaluate(bool test)
    {
        _model.ValuesAsSingle().CopyTo(_evalWeights.Values, 0);
        return _evaluator.Evaluate(test, Progress.Epoch);
    }

    public Checkpoint ToCheckpoint(List<EpochSummary> history, double epochSeconds, double elapsedSeconds) =>
        Progress.ToCheckpoint(history, epochSeconds, elapsedSeconds, _optimizer.Kind, _optimizer.Steps,
            _model.ValuesAsSingle(), TorchOptimizer.AsSingle(_optimizer.M), TorchOptimizer.AsSingle(_optimizer.V));

    public void Restore(Checkpoint checkpoint) => Progress.Restore(checkpoint, Layout.Length, () =>
    {
        _model.Load(checkpoint.Weights);
        _optimizer.Restore(Enum.Parse<OptimizerKind>(checkpoint.Optimizer), checkpoint.OptimizerSteps, checkpoint.M, checkpoint.V);
    });

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _pool.Dispose();
    }
}
