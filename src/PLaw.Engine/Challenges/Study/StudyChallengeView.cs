namespace PLaw.Engine.Challenges.Study;

/// <summary>A study's challenge reports against model size: every measure as series per family, and the plain-language summary.</summary>
public sealed record StudyChallengeView(IReadOnlyList<SizedReport> Runs, IReadOnlyList<SizeSeries> Series, IReadOnlyList<SummaryLine> Summary)
{
    /// <summary>Runs ordered by family (ordinal), then size, then layers and id.</summary>
    public static StudyChallengeView Of(IEnumerable<SizedReport> runs)
    {
        var ordered = runs.OrderBy(r => r.Family, StringComparer.Ordinal).ThenBy(r => r.Size).ThenBy(r => r.Layers).ThenBy(r => r.RunId).ToList();
        var series = SizeSeries.Of(ordered);
        return new StudyChallengeView(ordered, series, StudySummary.Of(ordered, series));
    }

    public IEnumerable<SizeSeries> For(string challenge, string metric) =>
        Series.Where(s => s.Measure.Challenge == challenge && s.Measure.Metric == metric);
}
