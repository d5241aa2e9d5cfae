using System.CommandLine;
using PLaw.Engine.Training;

namespace PLaw.Cli.Shell;

/// <summary>
/// The flags that make a <see cref="RunOptions"/> (<c>plaw train</c>, <c>plaw queue</c>, <c>plaw study</c>); unset flags keep
/// the record's defaults (the pmixer SASRec recipe: 2 blocks, width 50, 1 head, length 50, dropout 0.5, BCE, Adam 1e-3, batch 128).
/// </summary>
internal sealed class RunOptionFlags
{
    public readonly Option<string?> Model = new("--model") { Description = "sasrec | hstu | llama" };
    public readonly Option<string?> Variant = new("--variant") { Description = "sasrec: postln (default) | preln | original (Kang's TF layout); hstu: reference (default) | plaw." };
    public readonly Option<int?> Layers = new("--layers") { Description = "Transformer blocks." };
    public readonly Option<int?> Dim = new("--dim") { Description = "Embedding width d." };
    public readonly Option<int?> Heads = new("--heads") { Description = "Attention heads." };
    public readonly Option<int?> MaxLen = new("--max-len") { Description = "Window: each user's newest L items." };
    public readonly Option<double?> Dropout = new("--dropout") { Description = "Dropout rate." };
    public readonly Option<string?> LayerDropout = new("--layer-dropout") { Description = "Per-layer dropout, lowest block first, e.g. 0.5,0.3,0.1 (LSRM)." };
    public readonly Option<string?> Loss = new("--loss") { Description = "bce | sampled | full" };
    public readonly Option<int?> Negatives = new("--negatives") { Description = "Sampled-softmax negatives per position." };
    public readonly Option<double?> Temperature = new("--temperature") { Description = "Sampled-softmax temperature." };
    public readonly Option<string?> Optimizer = new("--optimizer") { Description = "adam | adamw | sgd" };
    public readonly Option<double?> Lr = new("--lr") { Description = "Learning rate." };
    public readonly Option<double?> WeightDecay = new("--weight-decay") { Description = "Weight decay." };
    public readonly Option<int?> Warmup = new("--warmup") { Description = "Linear warm-up steps." };
    public readonly Option<bool> Cosine = new("--cosine") { Description = "Cosine decay of the learning rate over the run." };
    public readonly Option<double?> ClipNorm = new("--clip-norm") { Description = "Clip the global gradient norm." };
    public readonly Option<int?> SgdEpoch = new("--sgd-epoch") { Description = "LSRM: switch Adam → SGD at this epoch." };
    public readonly Option<bool> SgdOnPlateau = new("--sgd-on-plateau") { Description = "LSRM: switch Adam → SGD when validation NDCG@10 plateaus." };
    public readonly Option<string?> Precision = new("--precision") { Description = "fp32 | bf16" };
    public readonly Option<string?> Eval = new("--eval") { Description = "sampled100 | sampled2500 | full" };
    public readonly Option<int?> EvalEvery = new("--eval-every") { Description = "Evaluate every N epochs (and after the last)." };
    public readonly Option<int?> Epochs = new("--epochs") { Description = "Training epochs." };
    public readonly Option<int?> Batch = new("--batch") { Description = "Sequences per batch." };
    public readonly Option<int?> Seed = new("--seed") { Description = "Random seed." };
    public readonly Option<int?> Threads = new("--threads") { Description = "Threads for the run." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Variant, Layers, Dim, Heads, MaxLen, Dropout, LayerDropout, Loss, Negatives, Temperature,
                     Optimizer, Lr, WeightDecay, Warmup, Cosine, ClipNorm, SgdEpoch, SgdOnPlateau, Precision, Eval, EvalEvery, Epochs, Batch, Seed,
                     Threads })
            command.Options.Add(option);
    }

    public RunOptions Bind(ParseResult result)
    {
        var o = new RunOptions();
        if (result.GetValue(Model) is { } model) o = o with { Model = ParseEnum<ModelFamily>(model, "--model") };
        o = o with
        {
            Variant = result.GetValue(Variant) is { } variant ? ParseVariant(variant) : o.Variant,
            Layers = result.GetValue(Layers) ?? o.Layers,
            Dim = result.GetValue(Dim) ?? o.Dim,
            Heads = result.GetValue(Heads) ?? o.Heads,
            MaxLength = result.GetValue(MaxLen) ?? o.MaxLength,
            Dropout = result.GetValue(Dropout) ?? o.Dropout,
            Negatives = result.GetValue(Negatives) ?? o.Negatives,
            Temperature = result.GetValue(Temperature) ?? o.Temperature,
            WarmupSteps = result.GetValue(Warmup) ?? o.WarmupSteps,
            CosineDecay = result.GetValue(Cosine) || o.CosineDecay,
            ClipNorm = result.GetValue(ClipNorm) ?? o.ClipNorm,
            SwitchToSgdOnPlateau = result.GetValue(SgdOnPlateau) || o.SwitchToSgdOnPlateau,
            LearningRate = result.GetValue(Lr) ?? o.LearningRate,
            WeightDecay = result.GetValue(WeightDecay) ?? o.WeightDecay,
            SwitchToSgdEpoch = result.GetValue(SgdEpoch) ?? o.SwitchToSgdEpoch,
            EvalEvery = result.GetValue(EvalEvery) ?? o.EvalEvery,
            Epochs = result.GetValue(Epochs) ?? o.Epochs,
            BatchSize = result.GetValue(Batch) ?? o.BatchSize,
            Seed = result.GetValue(Seed) ?? o.Seed,
            Threads = result.GetValue(Threads) ?? o.Threads,
        };
        if (result.GetValue(LayerDropout) is { } rates)
            o = o with { LayerDropout = rates.Split(',').Select(r => ParseDouble(r, "--layer-dropout")).ToArray() };
        if (result.GetValue(Loss) is { } loss)
            o = o with { Loss = loss.ToLowerInvariant() switch
            {
                "bce" => LossKind.Bce, "sampled" or "sampledsoftmax" => LossKind.SampledSoftmax, "full" or "fullsoftmax" => LossKind.FullSoftmax,
                _ => throw new ArgumentException($"--loss: '{loss}' is not one of bce, sampled, full."),
            } };
        if (result.GetValue(Optimizer) is { } optimizer) o = o with { Optimizer = ParseEnum<OptimizerKind>(optimizer, "--optimizer") };
        if (result.GetValue(Precision) is { } precision) o = o with { Precision = ParseEnum<Precision>(precision, "--precision") };
        if (result.GetValue(Eval) is { } eval) o = o with { Eval = ParseEnum<EvalProtocol>(eval, "--eval") };
        return o;
    }

    private static string ParseVariant(string text) =>
        Variants.For(ModelFamily.Sasrec).Concat(Variants.For(ModelFamily.Hstu)).Concat(Variants.For(ModelFamily.Llama))
            .FirstOrDefault(v => string.Equals(v, text.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--variant: '{text}' is not one of postln, preln, original, reference, plaw, standard.");

    public static T ParseEnum<T>(string text, string flag) where T : struct, Enum =>
        Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{flag}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    private static double ParseDouble(string text, string flag) =>
        double.TryParse(text.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : throw new ArgumentException($"{flag}: '{text}' is not a number.");
}
