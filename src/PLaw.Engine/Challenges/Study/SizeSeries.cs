namespace PLaw.Engine.Challenges.Study;

/// <summary>
/// One model shape of a family in a study: its size (non-embedding parameters), layers × dim, how many runs (seeds) it has,
/// and their mean value of the measure (null when none of them has it).
/// </summary>
public sealed record SizePoint(long Size, int Layers, int Dim, int Runs, double? Value);

/// <summary>One measure of one family against model size, smallest first.</summary>
public sealed record SizeSeries(ChallengeMeasure Measure, string Family, IReadOnlyList<SizePoint> Points)
{
    /// <summary>The smallest and the largest size with a value; null when fewer than two distinct sizes have one.</summary>
    public (SizePoint Smallest, SizePoint Largest)? Ends
    {
        get
        {
            var valued = Points.Where(p => p.Value is not null).ToList();
            if (valued.Count < 2 || valued[0].Size == valued[^1].Size) return null;
            return (valued[0], valued[^1]);
        }
    }

    /// <summary>
    /// How much better the largest size does than the smallest, in the measure's units (for a drop, how much smaller it is);
    /// null without two sizes to compare.
    /// </summary>
    public double? Gain
    {
        get
        {
            if (Ends is not { } ends) return null;
            double small = ends.Smallest.Value!.Value, large = ends.Largest.Value!.Value;
            return Measure.HigherIsBetter ? large - small : small - large;
        }
    }

    /// <summary><see cref="Gain"/> relative to the smallest size's value; null when that is 0.</summary>
    public double? RelativeGain => Ends is { } ends && Gain is { } gain && ends.Smallest.Value is { } small && small != 0 ? gain / Math.Abs(small) : null;

    /// <summary>
    /// Every measure of <paramref name="runs"/> against size, per family (ordinal order). Runs of one family with the same
    /// layers × dim are one point (their seeds, averaged over the runs that have the number); points are ordered by size.
    /// A series with no value at all is left out.
    /// </summary>
    public static IReadOnlyList<SizeSeries> Of(IReadOnlyCollection<SizedReport> runs)
    {
        var measures = ChallengeMeasure.Of(runs.Select(r => r.Report).ToList());
        var families = runs.GroupBy(r => r.Family).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (Family: f.Key, Shapes: f.GroupBy(r => (r.Layers, r.Dim)).OrderBy(s => s.Min(r => r.Size)).ThenBy(s => s.Key.Layers).ToList()))
            .ToList();
        var series = new List<SizeSeries>();
        foreach (var measure in measures)
            foreach (var (family, shapes) in families)
            {
                var points = shapes.Select(shape =>
                {
                    var values = shape.Select(r => measure.Read(r.Report)).OfType<double>().ToList();
                    return new SizePoint(shape.Min(r => r.Size), shape.Key.Layers, shape.Key.Dim, shape.Count(), values.Count == 0 ? null : values.Average());
                }).ToList();
                if (points.Any(p => p.Value is not null)) series.Add(new SizeSeries(measure, family, points));
            }
        return series;
    }
}
