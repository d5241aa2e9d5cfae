using PLaw.Engine.Training;

namespace PLaw.Web.Runs;

/// <summary>The editable side of <see cref="RunOptions"/> for the new-run and new-study forms (the record itself is immutable).</summary>
public sealed class RunForm
{
    public ModelFamily Model { get; set; } = ModelFamily.Sasrec;
    public string Variant { get; set; } = Variants.Default(ModelFamily.Sasrec);
    public int Layers { get; set; } = 2;
    public int Dim { get; set; } = 32;
    public int Heads { get; set; } = 1;
    public int MaxLength { get; set; } = 50;
    public double Dropout { get; set; } = 0.2;
    public LossKind Loss { get; set; } = LossKind.Bce;
    public int Negatives { get; set; } = 128;
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;
    public double LearningRate { get; set; } = 0.001;
    public double WeightDecay { get; set; }
    public Precision Precision { get; set; } = Precision.Fp32;
    public EvalProtocol Eval { get; set; } = EvalProtocol.Full;
    public int EvalEvery { get; set; } = 1;
    public int Epochs { get; set; } = 10;
    public int BatchSize { get; set; } = 128;
    public int Seed { get; set; } = 42;
    public int Threads { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 2);
    public int? SwitchToSgdEpoch { get; set; }

    /// <summary>Keeps what the form does not show (layer dropout, schedule, betas) from the run it was cloned from.</summary>
    private RunOptions origin = new();

    public static RunForm From(RunOptions o) => new()
    {
        origin = o, Model = o.Model, Variant = o.ResolvedVariant, Layers = o.Layers, Dim = o.Dim, Heads = o.Heads,
        MaxLength = o.MaxLength, Dropout = o.Dropout, Loss = o.Loss, Negatives = o.Negatives, Optimizer = o.Optimizer,
        LearningRate = o.LearningRate, WeightDecay = o.WeightDecay, Precision = o.Precision, Eval = o.Eval, EvalEvery = o.EvalEvery,
        Epochs = o.Epochs, BatchSize = o.BatchSize, Seed = o.Seed, Threads = o.Threads, SwitchToSgdEpoch = o.SwitchToSgdEpoch,
    };

    public RunOptions ToOptions() => origin with
    {
        Model = Model, Variant = Variants.For(Model).Contains(Variant) ? Variant : Variants.Default(Model), Layers = Layers, Dim = Dim,
        Heads = Heads, MaxLength = MaxLength, Dropout = Dropout, Loss = Loss, Negatives = Negatives, Optimizer = Optimizer,
        LearningRate = LearningRate, WeightDecay = WeightDecay, Precision = Precision, Eval = Eval, EvalEvery = EvalEvery,
        Epochs = Epochs, BatchSize = BatchSize, Seed = Seed, Threads = Threads, SwitchToSgdEpoch = SwitchToSgdEpoch,
        LayerDropout = origin.LayerDropout is { } rates && rates.Length == Layers ? rates : null,
    };
}
