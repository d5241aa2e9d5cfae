using PLaw.Data.Import;
using PLaw.Engine.Training;
using PLaw.Web.Laws;

namespace PLaw.Web.Components;

/// <summary>How the dashboard names the engine's and importer's choices: the papers' spelling, never a raw enum name.</summary>
public static class Labels
{
    public static string Of(ModelFamily family) => family switch
    {
        ModelFamily.Sasrec => "SASRec",
        ModelFamily.Hstu => "HSTU",
        ModelFamily.Llama => "LLaMA",
        _ => family.ToString(),
    };

    /// <summary>A family stored by name in a run record ("sasrec"), or a law family with HSTU ablations ("hstu-no-rab" →
    /// "HSTU no-rab", <see cref="LawFamilies"/>).</summary>
    public static string Family(string model) =>
        Enum.TryParse<ModelFamily>(LawFamilies.Model(model), ignoreCase: true, out var f)
            ? LawFamilies.Ablation(model) is { Length: > 0 } ablation ? $"{Of(f)} {ablation}" : Of(f)
            : model;

    public static string Variant(string variant) => variant switch
    {
        Variants.PostLn => "post-LN (pmixer)",
        Variants.PreLn => "pre-LN",
        Variants.Original => "original (Kang)",
        Variants.OriginalProj => "original + out-proj",
        Variants.Reference => "reference (GR)",
        Variants.PLaw => "P-Law",
        Variants.Standard => "standard",
        _ => variant,
    };

    public static string Of(LossKind loss) => loss switch
    {
        LossKind.Bce => "BCE",
        LossKind.SampledSoftmax => "sampled softmax",
        LossKind.FullSoftmax => "full softmax",
        _ => loss.ToString(),
    };

    public static string Of(OptimizerKind optimizer) => optimizer switch
    {
        OptimizerKind.Adam => "Adam",
        OptimizerKind.AdamW => "AdamW",
        OptimizerKind.Sgd => "SGD",
        _ => optimizer.ToString(),
    };

    public static string Of(Precision precision) => precision switch
    {
        Precision.Fp32 => "fp32",
        Precision.Bf16 => "bf16",
        _ => precision.ToString(),
    };

    /// <summary>The protocol a metric was measured under, shown beside every metric.</summary>
    public static string Of(EvalProtocol protocol) => protocol switch
    {
        EvalProtocol.Sampled100 => "100 sampled negatives",
        EvalProtocol.Sampled2500 => "2,500 candidates",
        EvalProtocol.Full => "full ranking",
        _ => protocol.ToString(),
    };

    /// <summary>Short form for table cells.</summary>
    public static string Short(EvalProtocol protocol) => protocol switch
    {
        EvalProtocol.Sampled100 => "sampled-100",
        EvalProtocol.Sampled2500 => "sampled-2500",
        EvalProtocol.Full => "full",
        _ => protocol.ToString(),
    };

    /// <summary>A run option's choice as the form lists it: an enum by its label, a variant by its name, anything else as it is.</summary>
    public static string OfChoice(object? value) => value switch
    {
        ModelFamily f => Of(f),
        LossKind l => Of(l),
        OptimizerKind o => Of(o),
        Precision p => Of(p),
        EvalProtocol e => Of(e),
        RunTask t => Of(t),
        string v when Variants.For(ModelFamily.Sasrec).Concat(Variants.For(ModelFamily.Hstu)).Concat(Variants.For(ModelFamily.Llama)).Contains(v) => Variant(v),
        _ => value?.ToString() ?? "",
    };

    public static string Of(RunTask task) => task switch
    {
        RunTask.Retrieval => "retrieval (next item)",
        RunTask.Ranking => "ranking (labelled impressions)",
        _ => task.ToString(),
    };

    /// <summary>What a run's metrics are measured against: the retrieval protocol, or the ranking task's held-out impressions.</summary>
    public static string Protocol(RunOptions options) => options.Task == RunTask.Ranking
        ? $"{PLaw.Engine.Ranking.RankingSplit.HeldOut} held-out labelled impressions per user"
        : Of(options.Eval);

    /// <summary>Short form of <see cref="Protocol"/> for table cells.</summary>
    public static string ShortProtocol(RunOptions options) => options.Task == RunTask.Ranking ? "ranking" : Short(options.Eval);

    public static string Of(InteractionFormat format) => format switch
    {
        InteractionFormat.MovieLens => "MovieLens",
        InteractionFormat.Sasrec => "SASRec text",
        InteractionFormat.Csv => "CSV",
        InteractionFormat.RecBole => "RecBole .inter",
        _ => format.ToString(),
    };
}
