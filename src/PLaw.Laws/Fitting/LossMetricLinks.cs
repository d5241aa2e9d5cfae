using PLaw.Laws.Fitting.Models;

namespace PLaw.Laws.Fitting;

/// <summary>One run's loss and metric on a dataset, for the loss–metric link.</summary>
public sealed record LossMetricRun(string Dataset, double Loss, double Metric);

/// <summary>The link P ≈ a − b·L on one dataset, or why it could not be fitted.</summary>
public sealed record DatasetLink(string Dataset, int Runs, double? A, double? B, double? BStandardError, double? R2, string? Error);

/// <summary>Fits the linear loss–metric link (<see cref="LossMetricLink"/>) separately on each dataset.</summary>
public static class LossMetricLinks
{
    public static IReadOnlyList<DatasetLink> FitPerDataset(IReadOnlyList<LossMetricRun> runs) =>
        runs.GroupBy(r => r.Dataset).OrderBy(g => g.Key).Select(g =>
        {
            try
            {
                var fit = LawFitter.Fit(LinearLinkModel.Instance,
                    FitData.FromRows(g.Select(r => new[] { r.Loss }).ToList(), g.Select(r => r.Metric).ToList()));
                return new DatasetLink(g.Key, g.Count(), fit["a"], fit["b"], fit.StandardError("b"), fit.R2, null);
            }
            catch (LawFitException e)
            {
                return new DatasetLink(g.Key, g.Count(), null, null, null, null, e.Message);
            }
        }).ToList();
}
