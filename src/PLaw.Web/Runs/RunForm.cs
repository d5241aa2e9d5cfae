using PLaw.Engine.Training;

namespace PLaw.Web.Runs;

/// <summary>
/// The editable side of <see cref="RunOptions"/> for the new-run and new-study forms (the record itself is immutable).
/// A new form starts from <c>new RunOptions()</c>, the defaults the CLI's <c>plaw train</c> uses too: one set everywhere.
/// </summary>
public sealed class RunForm
{
    public RunForm() : this(new RunOptions())
    {
    }

    private RunForm(RunOptions o)
    {
        origin = o;
        Model = o.Model;
        Variant = o.ResolvedVariant;
        Layers = o.Layers;
        Dim = o.Dim;
        Heads = o.Heads;
        MaxLength = o.MaxLength;
        Dropout = o.Dropout;
        Loss = o.Loss;
        Negatives = o.Negatives;
        Optimizer = o.Optimizer;
        LearningRate = o.LearningRate;
        WeightDecay = o.WeightDecay;
        Precision = o.Precision;
        Eval = o.Eval;
        EvalEvery = o.EvalEvery;
        Epochs = o.Epochs;
        BatchSize = o.BatchSize;
        Seed = o.Seed;
        Threads = o.Threads;
        SwitchToSgdEpoch = o.SwitchToSgdEpoch;
        Backend = o.Backend;
        Device = o.Device;
    }

    public ModelFamily Model { get; set; }
    public string Variant { get; set; }
    public int Layers { get; set; }
    public int Dim { get; set; }
    public int Heads { get; set; }
    public int MaxLength { get; set; }
    public double Dropout { get; set; }
    public LossKind Loss { get; set; }
    public int Negatives { get; set; }
    public OptimizerKind Optimizer { get; set; }
    public double LearningRate { get; set; }
    public double WeightDecay { get; set; }
    public Precision Precision { get; set; }
    public EvalProtocol Eval { get; set; }
    public int EvalEvery { get; set; }
    public int Epochs { get; set; }
    public int BatchSize { get; set; }
    public int Seed { get; set; }
    public int Threads { get; set; }
    public int? SwitchToSgdEpoch { get; set; }
    /// <summary>native, torch or auto (<see cref="TrainingBackends"/>).</summary>
    public string Backend { get; set; }
    /// <summary>auto, cpu, cuda or cuda:N as typed (trimmed, lower case; <see cref="DeviceNames"/>).</summary>
    public string Device { get; set; }

    /// <summary>Keeps what the form does not show (layer dropout, schedule, betas) from the run it was cloned from.</summary>
    private readonly RunOptions origin;

    public static RunForm From(RunOptions o) => new(o);

    public RunOptions ToOptions() => origin with
    {
        Model = Model, Variant = Variants.For(Model).Contains(Variant) ? Variant : Variants.Default(Model), Layers = Layers, Dim = Dim,
        Heads = Heads, MaxLength = MaxLength, Dropout = Dropout, Loss = Loss, Negatives = Negatives, Optimizer = Optimizer,
        LearningRate = LearningRate, WeightDecay = WeightDecay, Precision = Precision, Eval = Eval, EvalEvery = EvalEvery,
        Epochs = Epochs, BatchSize = BatchSize, Seed = Seed, Threads = Threads, SwitchToSgdEpoch = SwitchToSgdEpoch,
        Backend = Backend, Device = Device,
        LayerDropout = origin.LayerDropout is { } rates && rates.Length == Layers ? rates : null,
    };

    /// <summary>What <see cref="RunOptions.Validate"/> says about these values, each problem with the field it concerns
    /// (the form shows it beside that field; a problem no field shows is listed above the Queue button).</summary>
    public IReadOnlyList<(string? Field, string Problem)> Problems() =>
        ToOptions().Validate().Select(p => (FieldOf(p), p)).ToList();

    /// <summary>The backends the form offers, in the order the CLI's <c>--backend</c> help names them.</summary>
    public static readonly IReadOnlyList<string> Backends = [TrainingBackends.Native, TrainingBackends.Torch, TrainingBackends.Auto];

    /// <summary>A device as typed, the way the CLI's <c>--device</c> reads it: trimmed, lower case.</summary>
    public static string NormalizeDevice(string? typed) => (typed ?? "").Trim().ToLowerInvariant();

    /// <summary>The first problem about <paramref name="field"/> (a field key such as "heads"), or null.</summary>
    public static string? ProblemOf(IReadOnlyList<(string? Field, string Problem)> problems, string field) =>
        problems.FirstOrDefault(p => p.Field == field).Problem;

    /// <summary>Which form field a message of <see cref="RunOptions.Validate"/> is about (by the option it names).</summary>
    private static string? FieldOf(string problem) => problem switch
    {
        _ when problem.StartsWith("Layers", StringComparison.Ordinal) || problem.StartsWith("LayerDropout", StringComparison.Ordinal) => "layers",
        _ when problem.StartsWith("Dim ", StringComparison.Ordinal) => "dim",
        _ when problem.StartsWith("Heads", StringComparison.Ordinal) || problem.Contains("divisible by heads", StringComparison.Ordinal)
               || problem.Contains("even head size", StringComparison.Ordinal) => "heads",
        _ when problem.StartsWith("MaxLength", StringComparison.Ordinal) => "max-length",
        _ when problem.StartsWith("Dropout", StringComparison.Ordinal) => "dropout",
        _ when problem.StartsWith("Sampled softmax", StringComparison.Ordinal) => "negatives",
        _ when problem.StartsWith("LearningRate", StringComparison.Ordinal) => "lr",
        _ when problem.StartsWith("SwitchToSgdEpoch", StringComparison.Ordinal) => "sgd-epoch",
        _ when problem.StartsWith("The switch to SGD", StringComparison.Ordinal) => "optimizer",
        _ when problem.StartsWith("EvalEvery", StringComparison.Ordinal) => "eval-every",
        _ when problem.StartsWith("Epochs", StringComparison.Ordinal) => "epochs",
        _ when problem.StartsWith("BatchSize", StringComparison.Ordinal) => "batch",
        _ when problem.StartsWith("Threads", StringComparison.Ordinal) => "threads",
        _ when problem.Contains("has no variant", StringComparison.Ordinal) => "variant",
        _ when problem.StartsWith("Backend", StringComparison.Ordinal) => "backend",
        // bf16 against torch: beside the backend, which the study form shows too (its precisions are a grid list).
        _ when problem.StartsWith("Precision bf16", StringComparison.Ordinal) => "backend",
        _ when problem.StartsWith("Device", StringComparison.Ordinal) => "device",
        _ => null,
    };
}
