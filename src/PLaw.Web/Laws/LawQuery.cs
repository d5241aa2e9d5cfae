using PLaw.Laws.Fitting;
using PLaw.Web.Components;

namespace PLaw.Web.Laws;

/// <summary>
/// The query values the three law pages share (study or dataset, family, precision, metric), resolved against what the runs
/// offer: a value the runs do not have is replaced by the default with a note (<see cref="QueryNotes"/>).
/// </summary>
public static class LawQuery
{
    /// <summary>study=… or dataset=… as ids; a malformed one is dropped with a note (the page then shows its default scope).</summary>
    public static (int? Study, int? Dataset) Scope(QueryNotes notes, string? study, string? dataset)
    {
        var datasetId = notes.Int("dataset", dataset, 1, int.MaxValue, "showing the newest study with completed runs instead");
        var studyId = notes.Int("study", study, 1, int.MaxValue,
            datasetId is { } d ? $"showing all runs of dataset #{d} instead" : "showing the newest study with completed runs instead");
        return (studyId, studyId is null ? datasetId : null);
    }

    /// <summary>The model family asked for, else the one with the most completed runs.</summary>
    public static string Family(QueryNotes notes, LawScope scope, string? asked)
    {
        var fallback = scope.Families.FirstOrDefault() ?? "";
        return notes.OneOf("family", asked, scope.Families, $"showing {Labels.Family(fallback)} instead", Labels.Family,
            "the model families with completed runs here") ?? fallback;
    }

    public static string Precision(QueryNotes notes, LawScope scope, string family, string? asked)
    {
        var offered = scope.Precisions(family);
        var fallback = offered.FirstOrDefault() ?? "";
        return notes.OneOf("precision", asked, offered, $"showing {fallback} instead", what: $"the precisions of {Labels.Family(family)}'s completed runs") ?? fallback;
    }

    /// <summary>Metrics a performance law can be fitted to (every reported one but the loss).</summary>
    public static IReadOnlyList<string> FittableMetrics(LawScope scope) => scope.Metrics.Where(PerformanceMetrics.Describes).ToList();

    /// <summary>The metric asked for if the completed runs report it, else NDCG@10 (else the first they report).</summary>
    public static string Metric(QueryNotes notes, LawScope scope, string? asked)
    {
        var offered = FittableMetrics(scope);
        var fallback = offered.Contains("NDCG@10") ? "NDCG@10" : offered.FirstOrDefault() ?? "NDCG@10";
        return notes.OneOf("metric", asked, offered, $"showing {fallback} instead", what: "the metrics these completed runs report") ?? fallback;
    }
}
