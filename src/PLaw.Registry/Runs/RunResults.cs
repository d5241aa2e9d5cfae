using PLaw.Registry.Storage;

namespace PLaw.Registry.Runs;

public static class RunResults
{
    /// <summary>Stores a run's latest test metrics, with HR@10 and NDCG@10 copied out for sorting.</summary>
    public static void SetTestMetrics(RunRecord run, IReadOnlyDictionary<string, double> metrics)
    {
        run.FinalMetricsJson = RegistryJson.Serialize(metrics);
        run.TestHr10 = metrics.TryGetValue("HR@10", out var hr) && double.IsFinite(hr) ? hr : null;
        run.TestNdcg10 = metrics.TryGetValue("NDCG@10", out var ndcg) && double.IsFinite(ndcg) ? ndcg : null;
    }
}
