namespace PLaw.Engine.Training;

/// <summary>
/// Everything that defines a training run: model, objective, optimiser, precision, evaluation, seed. Immutable and
/// System.Text.Json-serialisable (init properties with defaults); the defaults are the pmixer SASRec recipe on Amazon
/// (models.md §8): 2 blocks, width 50, 1 head, length 50, dropout 0.5, BCE, Adam lr 1e-3 β = (0.9, 0.98), batch 128.
/// </summary>
public sealed record RunOptions
{
    public ModelFamily Model { get; init; } = ModelFamily.Sasrec;

    /// <summary>Per family: SASRec <c>PostLn</c> (default) / <c>PreLn</c>; HSTU <c>Reference</c> (default) / <c>PLaw</c>;
    /// LLaMA <c>Standard</c>. Null means the family's default (<see cref="Variants.Default"/>).</summary>
    public string? Variant { get; init; }

    public int Layers { get; init; } = 2;
    public int Dim { get; init; } = 50;
    public int Heads { get; init; } = 1;
    public int MaxLength { get; init; } = 50;
    public double Dropout { get; init; } = 0.5;

    /// <summary>Per-layer dropout override, index 0 = lowest block; the embedding dropout uses index 0 (LSRM: higher rates low).</summary>
    public double[]? LayerDropout { get; init; }

    public LossKind Loss { get; init; } = LossKind.Bce;

    /// <summary>Negatives per position for sampled softmax (BCE always draws one).</summary>
    public int Negatives { get; init; } = 128;

    /// <summary>Sampled-softmax temperature τ (models.md §6.2).</summary>
    public double Temperature { get; init; } = 0.05;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 0.001;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.98;
    public double Epsilon { get; init; } = 1e-8;
    public double WeightDecay { get; init; }
    public double Momentum { get; init; } = 0.9;
    public int WarmupSteps { get; init; }

    /// <summary>Cosine decay from the peak rate to <see cref="MinLearningRate"/> over the whole run, after warm-up.</summary>
    public bool CosineDecay { get; init; }
    public double MinLearningRate { get; init; }
    public double? ClipNorm { get; init; }

    /// <summary>LSRM recipe: switch Adam/AdamW → SGD (momentum) at this epoch (1-based: the switch happens before it).</summary>
    public int? SwitchToSgdEpoch { get; init; }

    /// <summary>LSRM recipe: switch to SGD when validation NDCG@10 has not improved for <see cref="PlateauPatience"/> evaluations.</summary>
    public bool SwitchToSgdOnPlateau { get; init; }
    public int PlateauPatience { get; init; } = 2;

    /// <summary>Learning rate used after the switch to SGD.</summary>
    public double SgdLearningRate { get; init; } = 0.01;

    public Precision Precision { get; init; } = Precision.Fp32;
    public EvalProtocol Eval { get; init; } = EvalProtocol.Sampled100;

    /// <summary>Evaluate every this many epochs (and always after the last).</summary>
    public int EvalEvery { get; init; } = 20;

    /// <summary>At most this many random scored users per evaluation (pmixer and P-Law use 10,000); 0 = all.</summary>
    public int EvalUsers { get; init; } = 10_000;

    /// <summary>LSRM §V cold start: this share of users is held out of training as new users (the run's seed picks them);
    /// 0 = none. The cold-start challenge needs it above 0.</summary>
    public double NewUserShare { get; init; }

    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 128;
    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = 2;

    /// <summary>Which engine trains: <c>native</c> (the C# engine, CPU), <c>torch</c> (libtorch through TorchSharp, CPU or
    /// CUDA; the host installs it) or <c>auto</c> (torch on CUDA; on the CPU torch from <see cref="TrainingBackends.CpuTorchFromWidth"/> on, else native; see <see cref="TrainingBackends.Resolve"/>).</summary>
    public string Backend { get; init; } = TrainingBackends.Native;

    /// <summary><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (<see cref="DeviceNames"/>); the native engine runs on CPU.</summary>
    public string Device { get; init; } = DeviceNames.Auto;

    /// <summary>The variant actually used (the family default when <see cref="Variant"/> is null).</summary>
    public string ResolvedVariant => Variant ?? Variants.Default(Model);

    /// <summary>Dropout of block <paramref name="layer"/> (0 = lowest).</summary>
    public double DropoutOf(int layer) =>
        LayerDropout is { Length: > 0 } d ? d[Math.Min(layer, d.Length - 1)] : Dropout;

    /// <summary>e.g. <c>sasrec-l2-d50-h1-len50-bce-fp32-s42</c>; non-default variants are named after the family.</summary>
    public string DisplayName
    {
        get
        {
            var family = Model.ToString().ToLowerInvariant();
            var variant = ResolvedVariant == Variants.Default(Model) ? "" : "-" + ResolvedVariant.ToLowerInvariant();
            var loss = Loss switch { LossKind.Bce => "bce", LossKind.SampledSoftmax => $"ssm{Negatives}", _ => "full" };
            return $"{family}{variant}-l{Layers}-d{Dim}-h{Heads}-len{MaxLength}-{loss}-{Precision.ToString().ToLowerInvariant()}-s{Seed}";
        }
    }

    /// <summary>
    /// Human-readable problems with these options; empty when they are valid. Each message starts with the option it is
    /// about (the dashboard's form and the CLI place it by that name). Ranges: <see cref="RunLimits"/>. Whether the run fits
    /// in this machine's memory is a separate check (<see cref="MemoryEstimate.Problem"/>).
    /// </summary>
    public IReadOnlyList<string> Validate(int? itemCount = null)
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Model)) problems.Add($"Model {(int)Model} is not one of {string.Join(", ", Enum.GetNames<ModelFamily>())}.");
        else if (!Variants.For(Model).Contains(ResolvedVariant))
            problems.Add($"{Model} has no variant '{ResolvedVariant}'; valid: {string.Join(", ", Variants.For(Model))}.");
        RunLimits.Whole(problems, "Layers", Layers, 1, RunLimits.MaxLayers);
        RunLimits.Whole(problems, "Dim", Dim, 1, RunLimits.MaxDim);
        var headsBefore = problems.Count;
        RunLimits.Whole(problems, "Heads", Heads, 1, RunLimits.MaxHeads);
        if (problems.Count == headsBefore && Dim >= 1)
        {
            if (Dim % Heads != 0) problems.Add($"dim {Dim} is not divisible by heads {Heads}.");
            var needsRope = Model == ModelFamily.Llama || (Model == ModelFamily.Hstu && ResolvedVariant == Variants.PLaw);
            if (needsRope && (Dim % Heads != 0 || Dim / Heads % 2 != 0))
                problems.Add($"{(Model == ModelFamily.Llama ? "LLaMA" : "HSTU (P-Law)")} needs an even head size for rotary embeddings: " +
                             $"dim {Dim} / heads {Heads} is not a whole even number.");
        }
        RunLimits.Whole(problems, "MaxLength", MaxLength, 2, RunLimits.MaxWindow);
        RunLimits.Real(problems, "Dropout", Dropout, 0, 1, maxOpen: true);
        if (LayerDropout is not null)
        {
            if (LayerDropout.Length != Layers) problems.Add($"LayerDropout has {LayerDropout.Length} rates for {Layers} layers.");
            if (LayerDropout.Any(p => !(p >= 0 && p < 1))) problems.Add("Every LayerDropout rate must be in [0, 1).");
        }
        if (!Enum.IsDefined(Loss)) problems.Add($"Loss {(int)Loss} is not one of {string.Join(", ", Enum.GetNames<LossKind>())}.");
        RunLimits.Whole(problems, "Sampled softmax negatives", Negatives, 1, RunLimits.MaxNegatives);
        RunLimits.Real(problems, "Temperature", Temperature, 0, RunLimits.MaxTemperature, minOpen: true);
        RunLimits.Real(problems, "LearningRate", LearningRate, 0, RunLimits.MaxLearningRate, minOpen: true);
        RunLimits.Real(problems, "MinLearningRate", MinLearningRate, 0, RunLimits.MaxLearningRate);
        RunLimits.Real(problems, "SgdLearningRate", SgdLearningRate, 0, RunLimits.MaxLearningRate, minOpen: true);
        RunLimits.Real(problems, "Adam beta1", Beta1, 0, 1, maxOpen: true);
        RunLimits.Real(problems, "Adam beta2", Beta2, 0, 1, maxOpen: true);
        RunLimits.Real(problems, "Epsilon", Epsilon, 0, RunLimits.MaxEpsilon, minOpen: true);
        RunLimits.Real(problems, "WeightDecay", WeightDecay, 0, RunLimits.MaxWeightDecay);
        RunLimits.Real(problems, "Momentum", Momentum, 0, 1, maxOpen: true);
        RunLimits.Whole(problems, "WarmupSteps", WarmupSteps, 0, RunLimits.MaxWarmupSteps);
        if (ClipNorm is { } clip) RunLimits.Real(problems, "ClipNorm", clip, 0, RunLimits.MaxClipNorm, minOpen: true);
        if (SwitchToSgdEpoch is { } switchEpoch) RunLimits.Whole(problems, "SwitchToSgdEpoch", switchEpoch, 1, RunLimits.MaxEpochs);
        if ((SwitchToSgdEpoch is not null || SwitchToSgdOnPlateau) && Optimizer == OptimizerKind.Sgd)
            problems.Add("The switch to SGD needs Adam or AdamW as the first optimiser.");
        RunLimits.Whole(problems, "PlateauPatience", PlateauPatience, 1, RunLimits.MaxPlateauPatience);
        if (!Enum.IsDefined(Optimizer)) problems.Add($"Optimizer {(int)Optimizer} is not one of {string.Join(", ", Enum.GetNames<OptimizerKind>())}.");
        if (!Enum.IsDefined(Precision)) problems.Add($"Precision {(int)Precision} is not one of {string.Join(", ", Enum.GetNames<Precision>())}.");
        if (!Enum.IsDefined(Eval)) problems.Add($"Eval {(int)Eval} is not one of {string.Join(", ", Enum.GetNames<EvalProtocol>())}.");
        RunLimits.Whole(problems, "EvalEvery", EvalEvery, 1, RunLimits.MaxEvalEvery);
        RunLimits.Whole(problems, "EvalUsers", EvalUsers, 0, RunLimits.MaxEvalUsers);
        RunLimits.Real(problems, "NewUserShare", NewUserShare, 0, 0.5);
        RunLimits.Whole(problems, "Epochs", Epochs, 1, RunLimits.MaxEpochs);
        RunLimits.Whole(problems, "BatchSize", BatchSize, 1, RunLimits.MaxBatchSize);
        RunLimits.Whole(problems, "Threads", Threads, 1, RunLimits.MaxThreads);
        if (Backend is not (TrainingBackends.Native or TrainingBackends.Torch or TrainingBackends.Auto))
            problems.Add($"Backend '{Backend}' is not one of native, torch, auto.");
        if (!DeviceNames.IsValid(Device))
            problems.Add($"Device '{Device}' is not one of auto, cpu, cuda, cuda:N (N = 0, 1, …).");
        else if (Backend == TrainingBackends.Native && DeviceNames.IsCuda(Device))
            problems.Add($"Device {Device}: the native engine runs on the CPU only; use backend torch or auto for CUDA.");
        if (Backend == TrainingBackends.Torch && Precision == Precision.Bf16)
            problems.Add("Precision bf16 is not available on the torch backend yet (TorchSharp 0.107 has no autocast); " +
                         "use fp32, or the native backend's emulated bf16.");
        if (itemCount is { } items && items < 2) problems.Add($"The data needs at least 2 items (has {items}).");
        return problems;
    }
}
