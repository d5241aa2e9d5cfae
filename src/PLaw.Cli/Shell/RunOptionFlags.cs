using System.CommandLine;
using PLaw.Engine.Training;

namespace PLaw.Cli.Shell;

/// <summary>
/// The flags that make a <see cref="RunOptions"/> (<c>plaw train</c>, <c>plaw queue</c>, <c>plaw study</c>). Every default comes
/// from <c>new RunOptions()</c>, the one set of defaults the dashboard's form uses too, and <c>--help</c> shows it.
/// </summary>
internal sealed class RunOptionFlags
{
    /// <summary>The one source of defaults.</summary>
    public static readonly RunOptions Defaults = new();

    public readonly Option<string> Model = new("--model")
    {
        Description = "sasrec | hstu | llama", DefaultValueFactory = _ => Name(Defaults.Model),
    };
    public readonly Option<string?> Variant = new("--variant")
    {
        Description = "sasrec: postln | preln | original (Kang's TF layout) | originalproj (original + attention output projection); " +
                      "hstu: reference | plaw; llama: standard " +
                      $"[default: {string.Join(", ", Enum.GetValues<ModelFamily>().Select(f => $"{Name(f)} {Variants.Default(f).ToLowerInvariant()}"))}]",
    };
    public readonly Option<int> Layers = new("--layers") { Description = $"Transformer blocks, 1–{RunLimits.MaxLayers}.", DefaultValueFactory = _ => Defaults.Layers };
    public readonly Option<int> Dim = new("--dim") { Description = $"Embedding width d, 1–{RunLimits.MaxDim:N0}, a multiple of --heads.", DefaultValueFactory = _ => Defaults.Dim };
    public readonly Option<int> Heads = new("--heads") { Description = $"Attention heads, 1–{RunLimits.MaxHeads}.", DefaultValueFactory = _ => Defaults.Heads };
    public readonly Option<int> MaxLen = new("--max-len") { Description = $"Window: each user's newest L items, 2–{RunLimits.MaxWindow:N0}.", DefaultValueFactory = _ => Defaults.MaxLength };
    public readonly Option<double> Dropout = new("--dropout") { Description = "Dropout rate, 0 ≤ p < 1.", DefaultValueFactory = _ => Defaults.Dropout };
    public readonly Option<string?> LayerDropout = new("--layer-dropout")
    {
        Description = "Per-layer dropout, lowest block first, e.g. 0.5,0.3,0.1 (LSRM) [default: --dropout in every block]",
    };
    public readonly Option<string> Loss = new("--loss") { Description = "bce | sampled | full", DefaultValueFactory = _ => Name(Defaults.Loss) };
    public readonly Option<int> Negatives = new("--negatives") { Description = $"Sampled-softmax negatives per position, 1–{RunLimits.MaxNegatives:N0}.", DefaultValueFactory = _ => Defaults.Negatives };
    public readonly Option<double> Temperature = new("--temperature") { Description = $"Sampled-softmax temperature, 0 < τ ≤ {RunLimits.MaxTemperature:G}.", DefaultValueFactory = _ => Defaults.Temperature };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "adam | adamw | sgd", DefaultValueFactory = _ => Name(Defaults.Optimizer) };
    public readonly Option<double> Lr = new("--lr") { Description = $"Learning rate, 0 < lr ≤ {RunLimits.MaxLearningRate:G}.", DefaultValueFactory = _ => Defaults.LearningRate };
    public readonly Option<double> WeightDecay = new("--weight-decay") { Description = $"Weight decay, 0–{RunLimits.MaxWeightDecay:G}.", DefaultValueFactory = _ => Defaults.WeightDecay };
    public readonly Option<int> Warmup = new("--warmup") { Description = $"Linear warm-up steps, 0–{RunLimits.MaxWarmupSteps:N0}.", DefaultValueFactory = _ => Defaults.WarmupSteps };
    public readonly Option<bool> Cosine = new("--cosine") { Description = $"Cosine decay of the learning rate over the run [default: {OnOff(Defaults.CosineDecay)}]", DefaultValueFactory = _ => Defaults.CosineDecay };
    public readonly Option<double?> ClipNorm = new("--clip-norm")
    {
        Description = $"Clip the global gradient norm, 0 < c ≤ {RunLimits.MaxClipNorm:N0} [default: {(Defaults.ClipNorm is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off")}]",
    };
    public readonly Option<int?> SgdEpoch = new("--sgd-epoch")
    {
        Description = $"LSRM: switch Adam → SGD at this epoch, 1–{RunLimits.MaxEpochs:N0} [default: {(Defaults.SwitchToSgdEpoch is { } e ? e.ToString() : "never")}]",
    };
    public readonly Option<bool> SgdOnPlateau = new("--sgd-on-plateau")
    {
        Description = $"LSRM: switch Adam → SGD when validation NDCG@10 plateaus [default: {OnOff(Defaults.SwitchToSgdOnPlateau)}]", DefaultValueFactory = _ => Defaults.SwitchToSgdOnPlateau,
    };
    public readonly Option<string> Precision = new("--precision") { Description = "fp32 | bf16", DefaultValueFactory = _ => Name(Defaults.Precision) };
    public readonly Option<string> Eval = new("--eval")
    {
        Description = "sampled100 (100 sampled negatives) | sampled2500 (2,500 candidates) | full (full ranking)",
        DefaultValueFactory = _ => Name(Defaults.Eval),
    };
    public readonly Option<int> EvalEvery = new("--eval-every") { Description = $"Evaluate every N epochs (and after the last), 1–{RunLimits.MaxEvalEvery:N0}.", DefaultValueFactory = _ => Defaults.EvalEvery };
    public readonly Option<int> Epochs = new("--epochs") { Description = $"Training epochs, 1–{RunLimits.MaxEpochs:N0}.", DefaultValueFactory = _ => Defaults.Epochs };
    public readonly Option<int> Batch = new("--batch") { Description = $"Sequences per batch, 1–{RunLimits.MaxBatchSize:N0}.", DefaultValueFactory = _ => Defaults.BatchSize };
    public readonly Option<int> Seed = new("--seed") { Description = "Random seed, any 32-bit integer.", DefaultValueFactory = _ => Defaults.Seed };
    public readonly Option<int> Threads = new("--threads") { Description = $"Threads for the run, 1–{RunLimits.MaxThreads}.", DefaultValueFactory = _ => Defaults.Threads };
    public readonly Option<string> Backend = new("--backend")
    {
        Description = "native (the C# engine, CPU) | torch (libtorch via TorchSharp, CPU or CUDA) | auto (torch on CUDA; on CPU torch from width " + TrainingBackends.CpuTorchFromWidth + " on, else native)",
        DefaultValueFactory = _ => Defaults.Backend,
    };
    public readonly Option<double> NewUserShare = new("--new-user-share")
    {
        Description = "LSRM cold start: share of users held out of training (and of the ordinary metrics) as new users, 0–0.5; " +
                      "the seed picks them; plaw challenge scores them.",
        DefaultValueFactory = _ => Defaults.NewUserShare,
    };
    public readonly Option<string> Device = new("--device")
    {
        Description = "auto (cuda:0 when the torch backend sees a GPU, else cpu) | cpu | cuda | cuda:N; CUDA needs --backend torch or auto",
        DefaultValueFactory = _ => Defaults.Device,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Variant, Layers, Dim, Heads, MaxLen, Dropout, LayerDropout, Loss, Negatives, Temperature,
                     Optimizer, Lr, WeightDecay, Warmup, Cosine, ClipNorm, SgdEpoch, SgdOnPlateau, Precision, Eval, EvalEvery, Epochs, Batch, Seed,
                     Threads, Backend, Device, NewUserShare })
            command.Options.Add(option);
    }

    /// <summary>The options the flags name; an unset flag is its default, which is <see cref="Defaults"/>' value.</summary>
    public RunOptions Bind(ParseResult result)
    {
        var o = Defaults with
        {
            Model = ParseEnum<ModelFamily>(result.GetValue(Model)!, "--model"),
            Variant = result.GetValue(Variant) is { } variant ? ParseVariant(variant) : Defaults.Variant,
            Layers = result.GetValue(Layers),
            Dim = result.GetValue(Dim),
            Heads = result.GetValue(Heads),
            MaxLength = result.GetValue(MaxLen),
            Dropout = result.GetValue(Dropout),
            Loss = ParseLoss(result.GetValue(Loss)!),
            Negatives = result.GetValue(Negatives),
            Temperature = result.GetValue(Temperature),
            Optimizer = ParseEnum<OptimizerKind>(result.GetValue(Optimizer)!, "--optimizer"),
            LearningRate = result.GetValue(Lr),
            WeightDecay = result.GetValue(WeightDecay),
            WarmupSteps = result.GetValue(Warmup),
            CosineDecay = result.GetValue(Cosine),
            ClipNorm = result.GetValue(ClipNorm) ?? Defaults.ClipNorm,
            SwitchToSgdEpoch = result.GetValue(SgdEpoch) ?? Defaults.SwitchToSgdEpoch,
            SwitchToSgdOnPlateau = result.GetValue(SgdOnPlateau),
            Precision = ParseEnum<Precision>(result.GetValue(Precision)!, "--precision"),
            Eval = ParseEnum<EvalProtocol>(result.GetValue(Eval)!, "--eval"),
            EvalEvery = result.GetValue(EvalEvery),
            Epochs = result.GetValue(Epochs),
            BatchSize = result.GetValue(Batch),
            Seed = result.GetValue(Seed),
            Threads = result.GetValue(Threads),
            Backend = ParseBackend(result.GetValue(Backend)!),
            Device = ParseDevice(result.GetValue(Device)!),
            NewUserShare = result.GetValue(NewUserShare),
        };
        if (result.GetValue(LayerDropout) is { } rates)
            o = o with { LayerDropout = rates.Split(',').Select(r => ParseDouble(r, "--layer-dropout")).ToArray() };
        return o;
    }

    /// <summary>
    /// Refuses options <see cref="RunOptions.Validate"/> finds problems with, each problem led by the flag it is about; with
    /// <paramref name="itemCount"/>, also a run that cannot fit in this machine's memory (<see cref="MemoryEstimate"/>).
    /// </summary>
    public static void ThrowIfInvalid(RunOptions options, int? itemCount = null)
    {
        var problems = options.Validate(itemCount).ToList();
        if (problems.Count == 0 && itemCount is { } items && MemoryEstimate.Problem(options, items) is { } memory) problems.Add(memory);
        if (problems.Count > 0) throw new ArgumentException(Explain(problems));
    }

    /// <summary>The problems as one line, each led by its flag ("--layers: Layers must be from 1 to 256 (got 100,000).").</summary>
    public static string Explain(IEnumerable<string> problems) => string.Join(" ", problems.Select(Explain));

    /// <summary>
    /// <paramref name="problem"/> led by the flag it is about. Validate's messages start with the option's property name
    /// (a study's with "run-name: " first); options no flag sets (betas, momentum, …) are left as they are.
    /// </summary>
    public static string Explain(string problem)
    {
        var (run, text) = problem.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0 && FlagOf(problem) is null
            ? (problem[..(colon + 2)], problem[(colon + 2)..])
            : ("", problem);
        return FlagOf(text) is { } flag ? $"{run}{flag}: {text}" : problem;
    }

    // Longer names first where one starts another (LayerDropout / Layers, EvalEvery / Eval).
    private static readonly (string Start, string Flag)[] ProblemFlags =
    [
        ("LayerDropout", "--layer-dropout"), ("Every LayerDropout", "--layer-dropout"), ("Layers", "--layers"),
        ("Dim ", "--dim"), ("dim ", "--heads"), ("LLaMA needs", "--heads"), ("HSTU (P-Law) needs", "--heads"), ("Heads", "--heads"),
        ("MaxLength", "--max-len"), ("Dropout", "--dropout"), ("Sampled softmax", "--negatives"), ("Temperature", "--temperature"),
        ("LearningRate", "--lr"), ("WeightDecay", "--weight-decay"), ("WarmupSteps", "--warmup"), ("ClipNorm", "--clip-norm"),
        ("SwitchToSgdEpoch", "--sgd-epoch"), ("The switch to SGD", "--optimizer"), ("EvalEvery", "--eval-every"), ("Eval ", "--eval"),
        ("Epochs", "--epochs"), ("BatchSize", "--batch"), ("Threads", "--threads"), ("Loss FullSoftmax", "--loss"),
        ("Backend", "--backend"), ("Device", "--device"), ("Precision bf16", "--precision"), ("NewUserShare", "--new-user-share"),
        ("Sasrec has no variant", "--variant"), ("Hstu has no variant", "--variant"), ("Llama has no variant", "--variant"),
    ];

    private static string? FlagOf(string problem) =>
        ProblemFlags.FirstOrDefault(p => problem.StartsWith(p.Start, StringComparison.Ordinal)).Flag;

    // System.CommandLine shows no default for a bool flag: the description says it.
    private static string OnOff(bool value) => value ? "on" : "off";

    /// <summary>The name a flag takes for an enum value: lower case, and the short loss names.</summary>
    public static string Name<T>(T value) where T : struct, Enum => value switch
    {
        LossKind.Bce => "bce",
        LossKind.SampledSoftmax => "sampled",
        LossKind.FullSoftmax => "full",
        _ => value.ToString().ToLowerInvariant(),
    };

    private static LossKind ParseLoss(string loss) => loss.Trim().ToLowerInvariant() switch
    {
        "bce" => LossKind.Bce,
        "sampled" or "sampledsoftmax" => LossKind.SampledSoftmax,
        "full" or "fullsoftmax" => LossKind.FullSoftmax,
        _ => throw new ArgumentException($"--loss: '{loss}' is not one of bce, sampled, full."),
    };

    private static readonly string[] Backends = [TrainingBackends.Native, TrainingBackends.Torch, TrainingBackends.Auto];

    private static string ParseBackend(string text) =>
        Backends.FirstOrDefault(b => string.Equals(b, text.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--backend: '{text}' is not one of {string.Join(", ", Backends)}" +
                                       (DeviceNames.IsValid(text.Trim().ToLowerInvariant()) ? $" ('{text}' is a device: --device {text.Trim().ToLowerInvariant()})." : "."));

    private static string ParseDevice(string text) => DeviceNames.IsValid(text.Trim().ToLowerInvariant())
        ? text.Trim().ToLowerInvariant()
        : throw new ArgumentException($"--device: '{text}' is not one of auto, cpu, cuda, cuda:N (N = 0, 1, …).");

    private static readonly string[] AllVariants = [.. Enum.GetValues<ModelFamily>().SelectMany(Variants.For)];

    private static string ParseVariant(string text) =>
        AllVariants.FirstOrDefault(v => string.Equals(v, text.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--variant: '{text}' is not one of {string.Join(", ", AllVariants.Select(v => v.ToLowerInvariant()))}.");

    public static T ParseEnum<T>(string text, string flag) where T : struct, Enum =>
        !int.TryParse(text.Trim(), out _) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{flag}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    private static double ParseDouble(string text, string flag) =>
        double.TryParse(text.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"{flag}: '{text}' is not a number.");
}
