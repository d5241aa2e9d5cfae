using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;

namespace PLaw.Web.Laws;

/// <summary>A registry run as the law pages need it: family (<see cref="LawFamilies"/>: an HSTU ablation is a family of its own),
/// precision, shape, size, status and its final test metrics by name.</summary>
public sealed record LawRun(int Id, string Name, string Family, string Precision, int Layers, int Dim, int MaxLength,
    long NonEmbeddingParameters, RunStatus Status, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The run's training seed: runs of one configuration with different seeds are averaged and weighted by the laws.</summary>
    public int Seed { get; init; }
}

/// <summary>Where runs come from: one study (<c>study=…</c>) or every run of one dataset (<c>dataset=…</c>).</summary>
public sealed record ScopeChoice(string Key, string Label, int? StudyId, int? DatasetId, int CompletedRuns);

/// <summary>The runs of one scope, with the families, precisions and metrics they offer.</summary>
public sealed record LawScope(ScopeChoice Choice, IReadOnlyList<LawRun> Runs)
{
    public IReadOnlyList<LawRun> Completed => Runs.Where(r => r.Status == RunStatus.Completed).ToList();

    /// <summary>Families with completed runs, most completed runs first.</summary>
    public IReadOnlyList<string> Families => Completed.GroupBy(r => r.Family).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToList();

    public IReadOnlyList<string> Precisions(string family) =>
        Completed.Where(r => r.Family == family).GroupBy(r => r.Precision).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).ToList();

    /// <summary>Metric names the completed runs report, the paper's four first.</summary>
    public IReadOnlyList<string> Metrics => Completed.SelectMany(r => r.Metrics.Keys).Distinct()
        .OrderBy(MetricRank).ThenBy(m => m, StringComparer.Ordinal).ToList();

    /// <summary>Every run (any status) of one family and precision: the grid of the model the laws describe.</summary>
    public IReadOnlyList<LawRun> Of(string family, string precision) => Runs.Where(r => r.Family == family && r.Precision == precision).ToList();

    private static readonly string[] MetricOrder = ["NDCG@10", "NDCG@50", "HR@10", "HR@50", "MRR", "loss", "AUC", "GAUC", "LogLoss"];

    private static int MetricRank(string metric) => Array.IndexOf(MetricOrder, metric) is var i and >= 0 ? i : MetricOrder.Length;
}

/// <summary>
/// Reads studies and runs from the registry (<see cref="RunCatalog"/>) for the law pages: run summaries, then the completed
/// runs' final test metrics in one query (<see cref="RunCatalog.FinalMetricsAsync"/>).
/// </summary>
public sealed class LawRuns(RunCatalog catalog, DatasetCatalog datasets)
{
    /// <summary>Every study, then every dataset with runs, newest study first.</summary>
    public async Task<IReadOnlyList<ScopeChoice>> ChoicesAsync(CancellationToken ct = default)
    {
        var runs = await catalog.ListAsync(ct: ct);
        var names = (await datasets.ListAsync(ct)).ToDictionary(d => d.Id, d => d.Name);
        var choices = (await catalog.StudiesAsync(ct)).Select(s => new ScopeChoice($"study:{s.Id}", $"study {s.Name} (#{s.Id})", s.Id, null,
            runs.Count(r => r.StudyId == s.Id && r.Status == RunStatus.Completed))).ToList();
        choices.AddRange(runs.GroupBy(r => r.DatasetId).OrderBy(g => g.Key).Select(g => new ScopeChoice($"dataset:{g.Key}",
            $"all runs of dataset {names.GetValueOrDefault(g.Key, $"#{g.Key}")}", null, g.Key, g.Count(r => r.Status == RunStatus.Completed))));
        return choices;
    }

    /// <summary>
    /// The runs of the chosen study or dataset; with neither, the newest study with completed runs (else the first dataset with
    /// completed runs, e.g. runs queued one by one). Null when there is nothing to show or the study or dataset does not exist.
    /// <paramref name="choices"/> saves listing them again when the caller already has them.
    /// </summary>
    public async Task<LawScope?> LoadAsync(int? studyId, int? datasetId, IReadOnlyList<ScopeChoice>? choices = null, CancellationToken ct = default)
    {
        choices ??= await ChoicesAsync(ct);
        var choice = studyId is { } s ? choices.FirstOrDefault(c => c.StudyId == s)
            : datasetId is { } d ? choices.FirstOrDefault(c => c.DatasetId == d)
            : choices.FirstOrDefault(c => c.CompletedRuns > 0);
        if (choice is null) return null;
        var summaries = choice.StudyId is { } study
            ? await catalog.ListAsync(study, ct)
            : (await catalog.ListAsync(ct: ct)).Where(r => r.DatasetId == choice.DatasetId).ToList();
        var finals = await catalog.FinalMetricsAsync(summaries.Where(r => r.Status == RunStatus.Completed).Select(r => r.Id).ToList(), ct);
        var runs = summaries.OrderBy(r => r.Id).Select(r => new LawRun(r.Id, r.Name, LawFamilies.Of(r.Model, r.Name, r.Layers, r.Dim), r.Precision, r.Layers, r.Dim, r.MaxLength,
            r.NonEmbeddingParameters, r.Status,
            r.Status == RunStatus.Completed && finals.TryGetValue(r.Id, out var metrics) ? metrics : new Dictionary<string, double>()) { Seed = r.Seed }).ToList();
        return new LawScope(choice, runs);
    }
}
