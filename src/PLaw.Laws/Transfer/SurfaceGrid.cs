using PLaw.Laws.Optima;

namespace PLaw.Laws.Transfer;

/// <summary>Where a predicted surface is shown: a few depths and widths spread geometrically over a search space.</summary>
public static class SurfaceGrid
{
    /// <summary>Up to <paramref name="count"/> distinct depths from min to max, evenly spaced in log n.</summary>
    public static IReadOnlyList<int> Layers(SearchSpace space, int count) =>
        Spread(space.MinLayers, space.MaxLayers, count);

    /// <summary>Up to <paramref name="count"/> distinct widths from min to max on the space's width grid, evenly spaced in log d.</summary>
    public static IReadOnlyList<int> Dims(SearchSpace space, int count)
    {
        var allowed = space.DimValues().ToArray();
        if (allowed.Length == 0) return [];
        return Spread(allowed[0], allowed[^1], count).Select(d => allowed.MinBy(a => Math.Abs(Math.Log(a) - Math.Log(d)))).Distinct().ToList();
    }

    private static List<int> Spread(int min, int max, int count)
    {
        if (count < 2 || min == max) return [min];
        var values = new SortedSet<int>();
        for (var i = 0; i < count; i++)
            values.Add((int)Math.Round(min * Math.Pow((double)max / min, i / (count - 1.0))));
        return [.. values.Where(v => v >= min && v <= max)];
    }
}
