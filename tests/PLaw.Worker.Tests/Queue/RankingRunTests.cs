using System.Text.Json;
using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;

namespace PLaw.Worker.Tests.Queue;

/// <summary>A ranking run lives in the registry like any other: its AUC, GAUC and LogLoss are metric series and final metrics.</summary>
public sealed class RankingRunTests
{
    private static readonly RunOptions Ranking = new()
    {
        Model = ModelFamily.Hstu, Task = RunTask.Ranking, Layers = 1, Dim = 8, Heads = 2, MaxLength = 6, Dropout = 0, Epochs = 2, EvalEvery = 1,
        BatchSize = 16, Threads = 1,
    };

    [Fact]
    public async Task ARankingRunStoresAucGaucAndLogLossAsValidAndTestSeriesAndFinalMetrics()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var markov = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 40, Items: 30, MinLength: 12, MaxLength: 20, Seed: 7));
        var labelled = await harness.Registry.Get<DatasetCatalog>().StoreAsync("labelled", "synthetic", "synthetic", "{}", "{}",
            SyntheticLabels.Attach(markov.Sequences, new SyntheticLabelOptions(Seed: 3)));
        var ranking = (await harness.Catalog.QueueAsync(labelled.Id, Ranking)).Id;
        var unlabelled = await harness.QueueAsync(Ranking);

        await harness.StartWorkerAsync();
        await harness.WaitUntilFinishedAsync(ranking, unlabelled);
        await harness.StopWorkerAsync();

        var run = await harness.RunAsync(ranking);
        Assert.True(run.Status == RunStatus.Completed, run.Error);
        Assert.Equal("hstu-rank-l1-d8-h2-len6-bce-fp32-s42", run.Name);
        var series = await harness.Metrics.SeriesNamesAsync(ranking);
        foreach (var split in new[] { MetricSplits.Valid, MetricSplits.Test })
            foreach (var name in new[] { "AUC", "GAUC", "LogLoss" })
            {
                Assert.Contains((split, name), series);
                Assert.Equal(2, (await harness.Metrics.SeriesAsync(ranking, split, name)).Count);
            }
        var final = JsonSerializer.Deserialize<Dictionary<string, double>>(run.FinalMetricsJson!)!;
        Assert.InRange(final["AUC"], 0, 1);
        Assert.InRange(final["GAUC"], 0, 1);
        Assert.True(final["LogLoss"] > 0);

        var listed = (await harness.Catalog.QueryAsync(new RunQuery())).Rows.ToDictionary(r => r.Run.Id);
        Assert.Equal((RunTask.Ranking, RunTask.Ranking), (listed[ranking].Task, listed[unlabelled].Task)); // the runs list says "ranking"

        var refused = await harness.RunAsync(unlabelled);
        Assert.Equal(RunStatus.Failed, refused.Status);
        Assert.Contains("needs labelled impressions", refused.Error, StringComparison.Ordinal);
    }
}
