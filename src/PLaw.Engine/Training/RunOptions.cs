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

    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 128;
    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = 2;

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

    /// <summary>Human-readable problems with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate(int? itemCount = null)
    {
        var problems = new List<string>();
        if (!Variants.For(Model).Contains(ResolvedVariant))
            problems.Add($"{Model} has no variant '{ResolvedVariant}'; valid: {string.Join(", ", Variants.For(Model))}.");
        if (Layers < 1) problems.Add($"Layers must be at least 1 (got {Layers}).");
        if (Dim < 1) problems.Add($"Dim must be at least 1 (got {Dim}).");
        if (Heads < 1) problems.Add($"Heads must be at least 1 (got {Heads}).");
        else if (Dim % Heads != 0) problems.Add($"dim {Dim} is not divisible by heads {Heads}.");
        var needsRope = Model == ModelFamily.Llama || (Model == ModelFamily.Hstu && ResolvedVariant == Variants.PLaw);
        if (needsRope && Heads >= 1 && (Dim % Heads != 0 || Dim / Heads % 2 != 0))
            problems.Add($"{(Model == ModelFamily.Llama ? "LLaMA" : "HSTU (P-Law)")} needs an even head size for rotary embeddings: " +
                         $"dim {Dim} / heads {Heads} is not a whole even number.");
        if (MaxLength < 2) problems.Add($"MaxLength must be at least 2 (got {MaxLength}).");
        if (Dropout is < 0 or >= 1) problems.Add($"Dropout must be in [0, 1) (got {Dropout}).");
        if (LayerDropout is not null)
        {
            if (LayerDropout.Length != Layers) problems.Add($"LayerDropout has {LayerDropout.Length} rates for {Layers} layers.");
            if (LayerDropout.Any(p => p is < 0 or >= 1)) problems.Add("Every LayerDropout rate must be in [0, 1).");
        }
        if (Loss == LossKind.SampledSoftmax && Negatives < 1) problems.Add($"Sampled softmax needs at least 1 negative (got {Negatives}).");
        if (Temperature <= 0) problems.Add($"Temperature must be positive (got {Temperature}).");
        if (LearningRate <= 0) problems.Add($"LearningRate must be positive (got {LearningRate}).");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) problems.Add($"Adam betas must be in [0, 1) (got {Beta1}, {Beta2}).");
        if (WeightDecay < 0) problems.Add($"WeightDecay must not be negative (got {WeightDecay}).");
        if (Momentum is < 0 or >= 1) problems.Add($"Momentum must be in [0, 1) (got {Momentum}).");
        if (WarmupSteps < 0) problems.Add($"WarmupSteps must not be negative (got {WarmupSteps}).");
        if (ClipNorm is <= 0) problems.Add($"ClipNorm must be positive when set (got {ClipNorm}).");
        if (SwitchToSgdEpoch is < 1) problems.Add($"SwitchToSgdEpoch must be at least 1 (got {SwitchToSgdEpoch}).");
        if ((SwitchToSgdEpoch is not null || SwitchToSgdOnPlateau) && Optimizer == OptimizerKind.Sgd)
            problems.Add("The switch to SGD needs Adam or AdamW as the first optimiser.");
        if (EvalEvery < 1) problems.Add($"EvalEvery must be at least 1 (got {EvalEvery}).");
        if (EvalUsers < 0) problems.Add($"EvalUsers must not be negative (got {EvalUsers}).");
        if (Epochs < 1) problems.Add($"Epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 1) problems.Add($"BatchSize must be at least 1 (got {BatchSize}).");
        if (Threads < 1) problems.Add($"Threads must be at least 1 (got {Threads}).");
        if (itemCount is { } items && items < 2) problems.Add($"The data needs at least 2 items (has {items}).");
        return problems;
    }
}
