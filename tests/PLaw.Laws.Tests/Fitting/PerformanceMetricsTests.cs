using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

/// <summary>The performance law's optimum is a maximum, so only metrics that rise with size are fitted by it.</summary>
public sealed class PerformanceMetricsTests
{
    [Theory]
    [InlineData("NDCG@10"), InlineData("HR@50"), InlineData("MRR"), InlineData("AUC"), InlineData("GAUC"), InlineData("Coverage@10")]
    public void RisingMetricsAreDescribed(string metric)
    {
        Assert.True(PerformanceMetrics.Describes(metric));
        Assert.Null(PerformanceMetrics.Problem(metric));
    }

    [Theory]
    [InlineData("loss"), InlineData("LogLoss")]
    public void LowerIsBetterMetricsAreRefusedWithTheReason(string metric)
    {
        Assert.False(PerformanceMetrics.Describes(metric));
        var problem = PerformanceMetrics.Problem(metric)!;
        Assert.StartsWith($"{metric} is lower-is-better", problem, StringComparison.Ordinal);
        Assert.Contains("plaw fit scaling", problem, StringComparison.Ordinal);
    }
}
