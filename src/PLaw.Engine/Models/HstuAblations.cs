using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

/// <summary>HSTU components a run switches off (<see cref="RunOptions.Ablate"/>), for the survey's backbone ablations.</summary>
[Flags]
public enum HstuAblation
{
    /// <summary>Full HSTU.</summary>
    None = 0,
    /// <summary>No relative attention bias: R = 0 in S = QKᵀ + R, and w_pos, w_ts are not parameters (reference variant only;
    /// P-Law's HSTU has no R, its positions come from RoPE).</summary>
    Rab = 1,
    /// <summary>Softmax attention instead of pointwise SiLU: A = softmax_j(QKᵀ/√d_h + R) over the live (causal, non-pad) keys,
    /// instead of SiLU(QKᵀ + R)/N (reference) or SiLU(QKᵀ/√d_h) (P-Law).</summary>
    Silu = 2,
    /// <summary>No U gate: the block's output is the normalised attention output itself, LN₀(AV) (reference) or RMSNorm(AV)
    /// (P-Law), without ⊙ U; U's projection rows are not parameters.</summary>
    Gate = 4,
}

/// <summary>
/// The <c>--ablate</c> text: a comma list of <c>rab</c>, <c>silu</c>, <c>gate</c>; empty or <c>none</c> is full HSTU.
/// The stored text is canonical (lower case, each name once, in the order rab, silu, gate), so "gate,rab" and "rab, gate"
/// are one run and one display name.
/// </summary>
public static class HstuAblations
{
    public const string Rab = "rab", Silu = "silu", Gate = "gate", None = "none";

    /// <summary>The names, in canonical order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Rab, Silu, Gate];

    private static readonly HstuAblation[] Flags = [HstuAblation.Rab, HstuAblation.Silu, HstuAblation.Gate];

    /// <summary>Canonical text: names trimmed, lower case, once each, known names in canonical order then unknown ones as
    /// written (so validation can name them); null for full HSTU (empty, or <c>none</c> alone).</summary>
    public static string? Normalize(string? text)
    {
        var parts = Split(text);
        if (parts.Count == 0) return null;
        var known = Names.Where(parts.Contains);
        var unknown = parts.Where(p => !Names.Contains(p));
        return string.Join(",", known.Concat(unknown));
    }

    /// <summary>Names in <paramref name="text"/> that are not ablations (<c>none</c> counts as one when it is not alone).</summary>
    public static IReadOnlyList<string> Unknown(string? text) => [.. Split(text).Where(p => !Names.Contains(p))];

    /// <summary>The ablations <paramref name="text"/> names; an unknown name is an <see cref="ArgumentException"/>.</summary>
    public static HstuAblation Parse(string? text)
    {
        if (Unknown(text) is [var first, ..])
            throw new ArgumentException($"Ablate '{first}' is not one of {string.Join(", ", Names)} (or {None}).");
        var result = HstuAblation.None;
        foreach (var part in Split(text)) result |= Flags[IndexOf(part)];
        return result;
    }

    /// <summary>The ablations of a run's options (<see cref="Parse"/> of <see cref="RunOptions.Ablate"/>).</summary>
    public static HstuAblation Of(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Parse(options.Ablate);
    }

    /// <summary>The display name's part, e.g. <c>-no-rab-no-gate</c>; empty for full HSTU.</summary>
    public static string NameSuffix(string? text) => string.Concat(Split(Normalize(text)).Select(p => "-no-" + p));

    private static int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (Names[i] == name) return i;
        return -1;
    }

    // Lower-case parts; "none" alone is full HSTU, and "none" among names is an unknown name.
    private static List<string> Split(string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).Distinct().ToList();
        return parts is [None] ? [] : parts;
    }
}
