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

    /// <summary>Why the multi-domain challenge has nothing to show against size (no run's report could class its test cases,
    /// e.g. the dataset carries no item domains), so the view can say so instead of leaving the challenge out; null when it
    /// has something, or when there are no reports.</summary>
    public string? MultiDomainMissing =>
        Runs.Count == 0 || Runs.Any(r => r.Report.MultiDomain is { Available: true }) ? null
        : Runs.Select(r => r.Report.MultiDomain?.Reason).FirstOrDefault(reason => !string.IsNullOrWhiteSpace(reason))
          ?? "no report scored it.";
}
