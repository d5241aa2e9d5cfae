using PLaw.Engine.Training;
using PLaw.Laws.EarlyStopping;

namespace PLaw.Registry.Studies;

/// <summary>
/// A study's grid: every combination of the listed model families, layers, widths, max lengths, precisions and seeds,
/// each applied to <see cref="Base"/>. An empty list keeps the base value.
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
    /// <summary>Early stopping (ASHA) for the study's runs; null trains every run to its last epoch.</summary>
    public AshaSettings? Asha { get; init; }

    public int Size => Count(Models) * Count(Layers) * Count(Dims) * Count(MaxLengths) * Count(Precisions) * Count(Seeds);

    /// <summary>The runs, in a fixed order (family, layers, width, length, precision, seed), with duplicates removed.</summary>
    public IReadOnlyList<RunOptions> Expand()
    {
        var runs = new List<RunOptions>();
        foreach (var model in OrBase(Models, Base.Model))
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
                Model = model, Variant = variant, Layers = layers, Dim = dim, MaxLength = maxLength, Precision = precision,
                Seed = seed, LayerDropout = layerDropout,
            };
            if (!runs.Any(r => r.DisplayName == run.DisplayName)) runs.Add(run);
        }
        return runs;
    }

    private static IEnumerable<T> OrBase<T>(T[] values, T fallback) => values.Length > 0 ? values.Distinct() : [fallback];

    private static int Count<T>(T[] values) => Math.Max(1, values.Distinct().Count());
}
