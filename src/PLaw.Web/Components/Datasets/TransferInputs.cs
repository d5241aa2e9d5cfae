using PLaw.Laws.Transfer;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;

namespace PLaw.Web.Components.Datasets;

/// <summary>A registry dataset for the transfer laws, with its id (for links to its page).</summary>
public sealed record TransferEntry(int Id, TransferDataset Dataset);

/// <summary>
/// Reads every dataset's cached entropy rows (ApEn m = 2, r = 0, P-Law's settings) and its completed runs of one model family
/// reporting one metric, for <see cref="TransferPredictor"/>. Reads only: nothing is measured here.
/// </summary>
public sealed class TransferInputs(DatasetCatalog datasets, RunCatalog runs, EntropyReports entropy)
{
    public const int ApenM = 2, ApenR = 0;

    /// <summary>Metric names the completed runs of <paramref name="family"/> report, NDCG@10 first.</summary>
    public async Task<IReadOnlyList<string>> MetricsAsync(string family, CancellationToken ct)
    {
        var completed = (await runs.ListAsync(ct: ct)).Where(r => r.Status == RunStatus.Completed && Same(r.Model, family)).Select(r => r.Id).ToList();
        var finals = await runs.FinalMetricsAsync(completed, ct);
        return finals.Values.SelectMany(m => m.Keys).Where(k => k != "loss").Distinct()
            .OrderBy(k => k == "NDCG@10" ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<TransferEntry>> LoadAsync(string family, string metric, CancellationToken ct)
    {
        var completed = (await runs.ListAsync(ct: ct)).Where(r => r.Status == RunStatus.Completed && Same(r.Model, family)).ToList();
        var finals = await runs.FinalMetricsAsync(completed.Select(r => r.Id).ToList(), ct);
        var entries = new List<TransferEntry>();
        foreach (var d in await datasets.ListAsync(ct))
        {
            var rows = (await entropy.GetCachedAsync(d.Id, ApenM, ApenR, ct)).Select(e => e.Row).ToList();
            var measured = completed.Where(r => r.DatasetId == d.Id && finals.TryGetValue(r.Id, out var m) && m.TryGetValue(metric, out var v) && double.IsFinite(v))
                .Select(r => new TransferRun(r.Layers, r.Dim, r.MaxLength, finals[r.Id][metric], r.Id)).ToList();
            entries.Add(new TransferEntry(d.Id, new TransferDataset(d.Name, rows, measured)));
        }
        return entries;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
