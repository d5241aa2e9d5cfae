using PLaw.Engine.Training.Options;

namespace PLaw.Engine.Training;

/// <summary>The model families the engine builds (models.md §2–§4).</summary>
public enum ModelFamily { Sasrec, Hstu, Llama }

/// <summary>Training objectives (models.md §6).</summary>
public enum LossKind { Bce, [OptionValue("sampled")] SampledSoftmax, [OptionValue("full")] FullSoftmax }

public enum OptimizerKind { Adam, AdamW, Sgd }

/// <summary>Fp32, or bf16 emulated: GEMM inputs and stored activations rounded to bfloat16, fp32 master weights.</summary>
public enum Precision { Fp32, Bf16 }

/// <summary>Evaluation protocols (models.md §7): 100 sampled negatives (SASRec paper), 2,500 candidates (P-Law), full ranking.</summary>
public enum EvalProtocol { Sampled100, Sampled2500, Full }

/// <summary>What a run learns: the next item (retrieval, every family), or the labels of labelled impressions (ranking, HSTU).</summary>
public enum RunTask { Retrieval, Ranking }

/// <summary>Block layouts and attention variants per family; <see cref="RunOptions.Variant"/> holds one of these names.</summary>
public static class Variants
{
    /// <summary>SASRec, pmixer default: y = LN(x + MHA(x)); x' = LN(y + FFN(y)).</summary>
    public const string PostLn = "PostLn";
    /// <summary>SASRec, pmixer --norm_first: y = x + MHA(LN x); x' = y + FFN(LN y).</summary>
    public const string PreLn = "PreLn";
    /// <summary>SASRec exactly as Kang and McAuley's TensorFlow code lays it out, the layout behind the paper's numbers:
    /// q = LN(x); z = LN(q + MHA(Q = q, K = V = x)); x' = (z + FFN(z)) ⊙ m, with pad keys and pad queries masked, and no
    /// attention output projection (Kang's <c>multihead_attention</c> has none).</summary>
    public const string Original = "Original";
    /// <summary>HSTU as in generative-recommenders (1/N scaling, relative position + time bias).</summary>
    public const string Reference = "Reference";
    /// <summary>HSTU as P-Law trained it (SiLU before projections, RoPE, RMSNorm, 1/√d_h).</summary>
    public const string PLaw = "PLaw";
    /// <summary>LLaMA has one layout.</summary>
    public const string Standard = "Standard";
    /// <summary>SASRec <see cref="Original"/> plus an attention output projection W_o + b_o (as torch MultiheadAttention,
    /// and so GR's PyTorch port, adds): n(d² + d) more parameters. Runs stored as <c>Original</c> before that layout lost
    /// its projection were trained with this one.</summary>
    public const string OriginalProj = "OriginalProj";

    public static string Default(ModelFamily family) => family switch
    {
        ModelFamily.Sasrec => PostLn,
        ModelFamily.Hstu => Reference,
        _ => Standard,
    };

    public static IReadOnlyList<string> For(ModelFamily family) => family switch
    {
        ModelFamily.Sasrec => [PostLn, PreLn, Original, OriginalProj],
        ModelFamily.Hstu => [Reference, PLaw],
        _ => [Standard],
    };
}
