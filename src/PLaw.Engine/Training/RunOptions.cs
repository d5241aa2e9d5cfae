using PLaw.Engine.Models;
using PLaw.Engine.Training.Options;

namespace PLaw.Engine.Training;

/// <summary>
/// Everything that defines a training run: model, objective, optimiser, precision, evaluation, seed. Immutable and
/// System.Text.Json-serialisable (init properties with defaults); the defaults are the pmixer SASRec recipe on Amazon
/// (models.md §8): 2 blocks, width 50, 1 head, length 50, dropout 0.5, BCE, Adam lr 1e-3 β = (0.9, 0.98), batch 128.
/// Each property's <see cref="RunOptionAttribute"/> is the option's one description: the CLI flags, the dashboard's form,
/// the range checks and the README's table are made from it (<see cref="RunOptionCatalog"/>), so a new option is one
/// property here.
/// </summary>
public sealed record RunOptions
{
    [RunOption("model", "Model", OptionGroup.Model, Help = "The model family.")]
    public ModelFamily Model { get; init; } = ModelFamily.Sasrec;

    /// <summary>Per family: SASRec <c>PostLn</c> (default) / <c>PreLn</c> / <c>Original</c> / <c>OriginalProj</c>; HSTU
    /// <c>Reference</c> (default) / <c>PLaw</c>; LLaMA <c>Standard</c>. Null means the family's default (<see cref="Variants.Default"/>).</summary>
    [RunOption("variant", "Variant", OptionGroup.Model, PerFamily = true, Unset = "the family's",
        Values = new[] { Variants.PostLn, Variants.PreLn, Variants.Original, Variants.OriginalProj, Variants.Reference, Variants.PLaw, Variants.Standard },
        Help = "The block layout: SASRec postln (pmixer, the default), preln, original (Kang's TF layout: no attention output " +
               "projection), originalproj (original + W_o, b_o); HSTU reference (generative-recommenders, the default), plaw; LLaMA standard.")]
    public string? Variant { get; init; }

    /// <summary>HSTU components switched off (<see cref="HstuAblations"/>): a comma list of rab, silu, gate, stored canonical;
    /// null (the default, and what runs stored before the option read as) is full HSTU.</summary>
    [RunOption("ablate", "Ablate", OptionGroup.Model, Families = new[] { ModelFamily.Hstu }, Unset = HstuAblations.None,
        Help = "HSTU ablations, a comma list: rab (no relative attention bias; reference variant), silu (softmax attention " +
               "instead of pointwise SiLU), gate (no U gate); none = full HSTU.")]
    public string? Ablate { get => _ablate; init => _ablate = HstuAblations.Normalize(value); }

    private readonly string? _ablate;

    [RunOption("layers", "Layers", OptionGroup.Shape, Min = 1, Max = RunLimits.MaxLayers, Help = "Transformer blocks.")]
    public int Layers { get; init; } = 2;

    [RunOption("dim", "Width d", OptionGroup.Shape, Min = 1, Max = RunLimits.MaxDim, Help = "Embedding width d, a multiple of the heads.")]
    public int Dim { get; init; } = 50;

    [RunOption("heads", "Heads", OptionGroup.Shape, Min = 1, Max = RunLimits.MaxHeads, Help = "Attention heads.")]
    public int Heads { get; init; } = 1;

    [RunOption("max-len", "Max length", OptionGroup.Shape, Min = 2, Max = RunLimits.MaxWindow, Help = "Window: each user's newest L items.")]
    public int MaxLength { get; init; } = 50;

    [RunOption("dropout", "Dropout", OptionGroup.Objective, Min = 0, Max = 1, MaxOpen = true, Step = 0.05, Help = "Dropout rate.")]
    public double Dropout { get; init; } = 0.5;

    /// <summary>Per-layer dropout override, index 0 = lowest block; the embedding dropout uses index 0 (LSRM: higher rates low).</summary>
    [RunOption("layer-dropout", "Layer dropout", OptionGroup.Objective, Advanced = true, Unset = "off",
        Help = "Per-layer dropout, lowest block first, one rate per layer, e.g. 0.5,0.3,0.1 (LSRM); off = the dropout rate in every block.")]
    public double[]? LayerDropout { get; init; }

    [RunOption("loss", "Loss", OptionGroup.Objective, Help = "Training objective: BCE with one sampled negative, sampled softmax, or full softmax.")]
    public LossKind Loss { get; init; } = LossKind.Bce;

    /// <summary>Negatives per position for sampled softmax (BCE always draws one).</summary>
    [RunOption("negatives", "Negatives", OptionGroup.Objective, Subject = "Sampled softmax negatives", When = nameof(UsesSampledSoftmax),
        Min = 1, Max = RunLimits.MaxNegatives, Help = "Sampled-softmax negatives per position.")]
    public int Negatives { get; init; } = 128;

    /// <summary>Sampled-softmax temperature τ (models.md §6.2).</summary>
    [RunOption("temperature", "Temperature τ", OptionGroup.Objective, When = nameof(UsesSampledSoftmax), Advanced = true,
        Min = 0, MinOpen = true, Max = RunLimits.MaxTemperature, Step = 0.01, Help = "Sampled-softmax temperature.")]
    public double Temperature { get; init; } = 0.05;

    [RunOption("optimizer", "Optimizer", OptionGroup.Optimiser, Help = "The optimiser (AdamW: decoupled weight decay).")]
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    [RunOption("lr", "Learning rate", OptionGroup.Optimiser, Min = 0, MinOpen = true, Max = RunLimits.MaxLearningRate, Step = 0.0001,
        Help = "Peak learning rate.")]
    public double LearningRate { get; init; } = 0.001;

    [RunOption("beta1", "Adam β1", OptionGroup.Optimiser, Subject = "Adam beta1", When = nameof(UsesAdam), Advanced = true,
        Min = 0, Max = 1, MaxOpen = true, Step = 0.01, Help = "Adam's first-moment decay.")]
    public double Beta1 { get; init; } = 0.9;

    [RunOption("beta2", "Adam β2", OptionGroup.Optimiser, Subject = "Adam beta2", When = nameof(UsesAdam), Advanced = true,
        Min = 0, Max = 1, MaxOpen = true, Step = 0.001, Help = "Adam's second-moment decay.")]
    public double Beta2 { get; init; } = 0.98;

    [RunOption("eps", "Adam ε", OptionGroup.Optimiser, Subject = "Epsilon", When = nameof(UsesAdam), Advanced = true,
        Min = 0, MinOpen = true, Max = RunLimits.MaxEpsilon, Help = "Adam's ε.")]
    public double Epsilon { get; init; } = 1e-8;

    [RunOption("weight-decay", "Weight decay", OptionGroup.Optimiser, Advanced = true, Min = 0, Max = RunLimits.MaxWeightDecay, Step = 0.01,
        Help = "Weight decay (L2 for Adam and SGD, decoupled for AdamW).")]
    public double WeightDecay { get; init; }

    [RunOption("momentum", "SGD momentum", OptionGroup.Optimiser, When = nameof(UsesSgd), Advanced = true, Min = 0, Max = 1, MaxOpen = true,
        Step = 0.05, Help = "SGD momentum (also after the switch from Adam).")]
    public double Momentum { get; init; } = 0.9;

    [RunOption("warmup", "Warm-up steps", OptionGroup.Optimiser, Subject = "WarmupSteps", Advanced = true, Min = 0, Max = RunLimits.MaxWarmupSteps,
        Help = "Linear warm-up steps.")]
    public int WarmupSteps { get; init; }

    /// <summary>Cosine decay from the peak rate to <see cref="MinLearningRate"/> over the whole run, after warm-up.</summary>
    [RunOption("cosine", "Cosine decay", OptionGroup.Optimiser, Subject = "CosineDecay", Advanced = true,
        Help = "Cosine decay of the learning rate over the run, after warm-up.")]
    public bool CosineDecay { get; init; }

    [RunOption("min-lr", "Minimum learning rate", OptionGroup.Optimiser, Subject = "MinLearningRate", When = nameof(CosineDecay), Advanced = true,
        Min = 0, Max = RunLimits.MaxLearningRate, Help = "Where the cosine decay ends.")]
    public double MinLearningRate { get; init; }

    [RunOption("clip-norm", "Clip gradient norm", OptionGroup.Optimiser, Advanced = true, Unset = "off", Min = 0, MinOpen = true,
        Max = RunLimits.MaxClipNorm, Help = "Clip the global gradient norm.")]
    public double? ClipNorm { get; init; }

    /// <summary>LSRM recipe: switch Adam/AdamW → SGD (momentum) at this epoch (1-based: the switch happens before it).</summary>
    [RunOption("sgd-epoch", "Adam→SGD at epoch", OptionGroup.Optimiser, Subject = "SwitchToSgdEpoch", Unset = "never", Min = 1, Max = RunLimits.MaxEpochs,
        Help = "LSRM: switch Adam → SGD at this epoch.")]
    public int? SwitchToSgdEpoch { get; init; }

    /// <summary>LSRM recipe: switch to SGD when validation NDCG@10 has not improved for <see cref="PlateauPatience"/> evaluations.</summary>
    [RunOption("sgd-on-plateau", "Adam→SGD on plateau", OptionGroup.Optimiser, Advanced = true,
        Help = "LSRM: switch Adam → SGD when validation NDCG@10 stops improving.")]
    public bool SwitchToSgdOnPlateau { get; init; }

    [RunOption("plateau-patience", "Plateau patience", OptionGroup.Optimiser, When = nameof(SwitchToSgdOnPlateau), Advanced = true,
        Min = 1, Max = RunLimits.MaxPlateauPatience, Help = "Evaluations without improvement before the switch to SGD.")]
    public int PlateauPatience { get; init; } = 2;

    /// <summary>Learning rate used after the switch to SGD.</summary>
    [RunOption("sgd-lr", "SGD learning rate", OptionGroup.Optimiser, Subject = "SgdLearningRate", When = nameof(SwitchesToSgd), Advanced = true,
        Min = 0, MinOpen = true, Max = RunLimits.MaxLearningRate, Help = "Learning rate after the switch to SGD.")]
    public double SgdLearningRate { get; init; } = 0.01;

    [RunOption("precision", "Precision", OptionGroup.Compute, Help = "fp32, or bf16 emulated (GEMM inputs and stored activations in bfloat16).")]
    public Precision Precision { get; init; } = Precision.Fp32;

    [RunOption("eval", "Evaluation", OptionGroup.Evaluation,
        Help = "sampled100: 100 sampled negatives; sampled2500: 2,500 candidates; full: full ranking.")]
    public EvalProtocol Eval { get; init; } = EvalProtocol.Sampled100;

    /// <summary>Evaluate every this many epochs (and always after the last).</summary>
    [RunOption("eval-every", "Evaluate every (epochs)", OptionGroup.Evaluation, Min = 1, Max = RunLimits.MaxEvalEvery,
        Help = "Evaluate every N epochs, and after the last.")]
    public int EvalEvery { get; init; } = 20;

    /// <summary>At most this many random scored users per evaluation (pmixer and P-Law use 10,000); 0 = all.</summary>
    [RunOption("eval-users", "Evaluated users", OptionGroup.Evaluation, Advanced = true, Min = 0, Max = RunLimits.MaxEvalUsers,
        Help = "At most this many random users per evaluation (0 = all).")]
    public int EvalUsers { get; init; } = 10_000;

    /// <summary>LSRM §V cold start: this share of users is held out of training as new users (the run's seed picks them);
    /// 0 = none. The cold-start challenge needs it above 0.</summary>
    [RunOption("new-user-share", "New users held out", OptionGroup.Evaluation, Advanced = true, Min = 0, Max = 0.5, Step = 0.05,
        Help = "LSRM cold start: this share of users is held out of training as new users, picked by the seed.")]
    public double NewUserShare { get; init; }

    [RunOption("epochs", "Epochs", OptionGroup.Compute, Min = 1, Max = RunLimits.MaxEpochs, Help = "Training epochs.")]
    public int Epochs { get; init; } = 200;

    [RunOption("batch", "Batch", OptionGroup.Compute, Subject = "BatchSize", Min = 1, Max = RunLimits.MaxBatchSize, Help = "Sequences per batch.")]
    public int BatchSize { get; init; } = 128;

    [RunOption("seed", "Seed", OptionGroup.Compute, Help = "Random seed.")]
    public int Seed { get; init; } = 42;

    [RunOption("threads", "Threads", OptionGroup.Compute, Min = 1, Max = RunLimits.MaxThreads, Help = "Threads for the run.")]
    public int Threads { get; init; } = 2;

    /// <summary>Which engine trains: <c>native</c> (the C# engine, CPU), <c>torch</c> (libtorch through TorchSharp, CPU or
    /// CUDA; the host installs it) or <c>auto</c> (torch on CUDA; on the CPU torch from <see cref="TrainingBackends.CpuTorchFromWidth"/> on, else native; see <see cref="TrainingBackends.Resolve"/>).</summary>
    [RunOption("backend", "Backend", OptionGroup.Compute, Values = new[] { TrainingBackends.Native, TrainingBackends.Torch, TrainingBackends.Auto },
        Help = "native: the C# engine, on CPU; torch: libtorch through TorchSharp, CPU here and CUDA on GPU hosts; " +
               "auto: torch on CUDA, and on the CPU from width 256 on (where libtorch is faster), else native.")]
    public string Backend { get; init; } = TrainingBackends.Native;

    /// <summary><c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (<see cref="DeviceNames"/>); the native engine runs on CPU.</summary>
    [RunOption("device", "Device", OptionGroup.Compute,
        Help = "auto (cuda:0 when the torch backend sees a GPU, else cpu), cpu, cuda or cuda:N; CUDA needs backend torch or auto.")]
    public string Device { get; init; } = DeviceNames.Auto;

    /// <summary>What the model learns: <c>retrieval</c> (the next item, the default) or <c>ranking</c> (HSTU as a ranker: the
    /// label of each labelled impression, from the interleaved items and actions; <see cref="Ranking.RankingSession"/>).
    /// Runs stored before the option existed have none in their options JSON and load as retrieval.</summary>
    [RunOption("task", "Task", OptionGroup.Objective, Families = new[] { ModelFamily.Hstu },
        Help = "retrieval: predict the next item (the default); ranking: HSTU as a ranker, predicting each labelled impression's " +
               "action from the interleaved items and actions (needs a dataset with labels), scored by AUC, GAUC and LogLoss.")]
    public RunTask Task { get; init; } = RunTask.Retrieval;

    /// <summary>The loss is sampled softmax (its negatives and temperature take part).</summary>
    [OptionCondition("with --loss sampled")]
    public bool UsesSampledSoftmax => Loss == LossKind.SampledSoftmax;

    /// <summary>Adam or AdamW trains (at least until a switch to SGD).</summary>
    [OptionCondition("with --optimizer adam or adamw")]
    public bool UsesAdam => Optimizer != OptimizerKind.Sgd;

    /// <summary>The run switches from Adam to SGD, by epoch or on a plateau.</summary>
    [OptionCondition("with --sgd-epoch or --sgd-on-plateau")]
    public bool SwitchesToSgd => SwitchToSgdEpoch is not null || SwitchToSgdOnPlateau;

    /// <summary>SGD trains at some point (its momentum takes part).</summary>
    [OptionCondition("with --optimizer sgd, or a switch to SGD")]
    public bool UsesSgd => Optimizer == OptimizerKind.Sgd || SwitchesToSgd;

    /// <summary>The variant actually used (the family default when <see cref="Variant"/> is null).</summary>
    public string ResolvedVariant => Variant ?? Variants.Default(Model);

    /// <summary>Dropout of block <paramref name="layer"/> (0 = lowest).</summary>
    public double DropoutOf(int layer) =>
        LayerDropout is { Length: > 0 } d ? d[Math.Min(layer, d.Length - 1)] : Dropout;

    /// <summary>e.g. <c>sasrec-l2-d50-h1-len50-bce-fp32-s42</c>; non-default variants are named after the family, then the
    /// HSTU ablations (<c>hstu-no-rab-no-gate-l2-…</c>).</summary>
    public string DisplayName
    {
        get
        {
            var family = Model.ToString().ToLowerInvariant();
            var variant = ResolvedVariant == Variants.Default(Model) ? "" : "-" + ResolvedVariant.ToLowerInvariant();
            variant += HstuAblations.NameSuffix(Ablate);
            var loss = Loss switch { LossKind.Bce => "bce", LossKind.SampledSoftmax => $"ssm{Negatives}", _ => "full" };
            var task = Task == RunTask.Ranking ? "-rank" : "";
            return $"{family}{variant}{task}-l{Layers}-d{Dim}-h{Heads}-len{MaxLength}-{loss}-{Precision.ToString().ToLowerInvariant()}-s{Seed}";
        }
    }

    /// <summary>Human-readable problems with these options; empty when they are valid (<see cref="Problems"/> without the options they name).</summary>
    public IReadOnlyList<string> Validate(int? itemCount = null) => [.. Problems(itemCount).Select(p => p.Message)];

    /// <summary>
    /// The problems with these options, each with the option it is about: every option's range (from its
    /// <see cref="RunOptionAttribute"/>), then the rules that join options. Whether the run fits in this machine's memory is
    /// a separate check (<see cref="MemoryEstimate.Problem"/>).
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems(int? itemCount = null)
    {
        var problems = new List<OptionProblem>();
        foreach (var option in RunOptionCatalog.All) option.Check(this, problems);
        void Add(string key, string message) => problems.Add(new OptionProblem(key, message));

        if (Enum.IsDefined(Model) && !Variants.For(Model).Contains(ResolvedVariant))
            Add("variant", $"{Model} has no variant '{ResolvedVariant}'; valid: {string.Join(", ", Variants.For(Model))}.");
        if (problems.All(p => p.Key is not ("heads" or "dim")))
        {
            if (Dim % Heads != 0) Add("heads", $"dim {Dim} is not divisible by heads {Heads}.");
            var needsRope = Model == ModelFamily.Llama || (Model == ModelFamily.Hstu && ResolvedVariant == Variants.PLaw);
            if (needsRope && (Dim % Heads != 0 || Dim / Heads % 2 != 0))
                Add("heads", $"{(Model == ModelFamily.Llama ? "LLaMA" : "HSTU (P-Law)")} needs an even head size for rotary embeddings: " +
                             $"dim {Dim} / heads {Heads} is not a whole even number.");
        }
        if (Ablate is not null)
        {
            if (HstuAblations.Unknown(Ablate) is { Count: > 0 } unknown)
                Add("ablate", $"Ablate {string.Join(", ", unknown.Select(u => $"'{u}'"))}: not an ablation; valid: {string.Join(", ", HstuAblations.Names)} (or {HstuAblations.None}).");
            else if (Model != ModelFamily.Hstu)
                Add("ablate", $"Ablate {Ablate}: ablations switch off HSTU components; {Model} has none (use --model hstu, or --ablate {HstuAblations.None}).");
            else if (ResolvedVariant == Variants.PLaw && Ablate.Split(',').Contains(HstuAblations.Rab))
                Add("ablate", "Ablate rab: HSTU p-law has no relative attention bias to remove (its positions come from RoPE, " +
                              "models.md §3b); use --variant reference, or ablate silu or gate.");
        }
        if (LayerDropout is not null)
        {
            if (LayerDropout.Length != Layers) Add("layer-dropout", $"LayerDropout has {LayerDropout.Length} rates for {Layers} layers.");
            if (LayerDropout.Any(p => !(p >= 0 && p < 1))) Add("layer-dropout", "Every LayerDropout rate must be in [0, 1).");
        }
        if (SwitchesToSgd && Optimizer == OptimizerKind.Sgd)
            Add("optimizer", "The switch to SGD needs Adam or AdamW as the first optimiser.");
        if (!DeviceNames.IsValid(Device))
            Add("device", $"Device '{Device}' is not one of auto, cpu, cuda, cuda:N (N = 0, 1, …).");
        else if (Backend == TrainingBackends.Native && DeviceNames.IsCuda(Device))
            Add("device", $"Device {Device}: the native engine runs on the CPU only; use backend torch or auto for CUDA.");
        if (Backend == TrainingBackends.Torch && Precision == Precision.Bf16)
            Add("backend", "Precision bf16 is not available on the torch backend yet (TorchSharp 0.107 has no autocast); " +
                           "use fp32, or the native backend's emulated bf16.");
        if (Task == RunTask.Ranking) Ranking.RankingRules.AddProblems(this, problems);
        if (itemCount is { } items && items < 2) problems.Add(new OptionProblem(null, $"The data needs at least 2 items (has {items})."));
        return problems;
    }
}
