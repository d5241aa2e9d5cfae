using PLaw.Engine.Models;
using PLaw.Engine.Training;
using PLaw.Laws.EarlyStopping;

namespace PLaw.Registry.Studies;

/// <summary>
/// A study's grid: every combination of the listed model families, HSTU ablations, layers, widths, max lengths, precisions
/// and seeds, each applied to <see cref="Base"/>. An empty list keeps the base value. Ablations cross the HSTU runs only:
/// another family's runs take none (and a base <see cref="RunOptions.Ablate"/> applies to the HSTU runs alone).
/// </summary>
public sealed record StudyGrid
{
    public RunOptions Base { get; init; } = new();
    public ModelFamily[] Models { get; init; } = [];
    public int[] Layers { get; init; } = [];
    public int[] Dims { get; init; } = [];
    public int[] MaxLengths { get; init; } = [];
    public Precision[] Precisions { get; init; } = [];
    public int[] Seeds { get; init; } = [];
    /// <summary>HSTU ablation sets (<see cref="RunOptions.Ablate"/> texts, e.g. "none", "rab", "rab,gate"); grids stored before
    /// the list existed read as empty.</summary>
    public string[] Ablations { get; init; } = [];
    /// <summary>Early stopping (ASHA) for the study's runs; null trains every run to its last epoch.</summary>
    public AshaSettings? Asha { get; init; }

    public int Size => OrBase(Models, Base.Model).Sum(m => AblationsOf(m).Count())
                       * Count(Layers) * Count(Dims) * Count(MaxLengths) * Count(Precisions) * Count(Seeds);

    /// <summary>The runs, in a fixed order (family, ablation, layers, width, length, precision, seed), with duplicates removed.</summary>
    public IReadOnlyList<RunOptions> Expand()
    {
        var runs = new List<RunOptions>();
        foreach (var model in OrBase(Models, Base.Model))
        foreach (var ablate in AblationsOf(model))
        foreach (var layers in OrBase(Layers, Base.Layers))
        foreach (var dim in OrBase(Dims, Base.Dim))
        foreach (var maxLength in OrBase(MaxLengths, Base.MaxLength))
        foreach (var precision in OrBase(Precisions, Base.Precision))
        foreach (var seed in OrBase(Seeds, Base.Seed))
        {
            var variant = model == Base.Model ? Base.Variant : null;
            var layerDropout = Base.LayerDropout is { } rates && rates.Length != layers ? null : Base.LayerDropout;
            var run = Base with
            {
                Model = model, Variant = variant, Ablate = ablate, Layers = layers, Dim = dim, MaxLength = maxLength, Precision = precision,
                Seed = seed, LayerDropout = layerDropout,
            };
            if (!runs.Any(r => r.DisplayName == run.DisplayName)) runs.Add(run);
        }
        return runs;
    }

    // The canonical ablation texts an HSTU run of the grid takes (null = full HSTU); other families take none.
    private IEnumerable<string?> AblationsOf(ModelFamily model) =>
        model != ModelFamily.Hstu ? [null]
        : Ablations.Length > 0 ? Ablations.Select(HstuAblations.Normalize).Distinct()
        : [Base.Ablate];

    private static IEnumerable<T> OrBase<T>(T[] values, T fallback) => values.Length > 0 ? values.Distinct() : [fallback];

    private static int Count<T>(T[] values) => Math.Max(1, values.Distinct().Count());
}
