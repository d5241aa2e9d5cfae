using PLaw.Laws.Forecast;

namespace PLaw.Laws.Fitting;

/// <summary>
/// The metrics the performance law describes. P-Law fits accuracies that rise with layers and width (HR@K, NDCG@K; MRR, AUC and
/// GAUC read the same way), and every optimum search takes the largest prediction. A lower-is-better metric (the test loss,
/// a ranker's LogLoss) fitted the same way would name its worst configuration the best, so it is refused; the loss has its own
/// law (LSRM's L(N) = E + (N₀/N)^α, <see cref="ScalingFit"/>).
/// </summary>
public static class PerformanceMetrics
{
    public static bool Describes(string metric) => CurveDirections.Of(metric) == CurveDirection.Rising;

    /// <summary>Why <paramref name="metric"/> has no performance law, or null when it has one.</summary>
    public static string? Problem(string metric) => Describes(metric) ? null :
        $"{metric} is lower-is-better, and the performance law describes metrics that rise with size (HR@K, NDCG@K, MRR, AUC, GAUC): " +
        "its optimum would be the worst configuration. Choose one of those; the test loss has its own law ('plaw fit scaling').";
}
