using PLaw.Engine.Models;

namespace PLaw.Web.Laws;

/// <summary>
/// The family a run's law belongs to. An HSTU ablation is its own model for the laws (its own fit, its own row on the
/// frameworks page), so a study crossing ablations × sizes fits one law per ablation instead of averaging them as seeds:
/// the key is the registry family followed by the run's ablations as its display name spells them ("hstu-no-rab").
/// Unablated runs keep the plain family ("hstu").
/// </summary>
public static class LawFamilies
{
    /// <summary>The law family of a run stored as <paramref name="model"/> ("hstu") named <paramref name="name"/>
    /// (its <see cref="PLaw.Engine.Training.RunOptions.DisplayName"/>, e.g. "hstu-no-rab-no-gate-l2-d64-…").</summary>
    public static string Of(string model, string name, int layers, int dim)
    {
        var shape = name.IndexOf($"-l{layers}-d{dim}-", StringComparison.Ordinal);
        if (shape < 0) return model;
        var head = name[..shape];
        return model + string.Concat(HstuAblations.Names.Where(a => head.Contains("-no-" + a, StringComparison.Ordinal)).Select(a => "-no-" + a));
    }

    /// <summary>The registry family of a law family ("hstu-no-rab" → "hstu").</summary>
    public static string Model(string family) => family.Split('-', 2)[0];

    /// <summary>What follows the registry family ("no-rab-no-gate"), or empty.</summary>
    public static string Ablation(string family) => family.Split('-', 2) is [_, var rest] ? rest : "";
}
