using PLaw.Engine.Training;
using PLaw.Laws.EarlyStopping;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Worker.Tests.Queue;

/// <summary>
/// The queue worker under a study's ASHA rule, with real training on a small synthetic dataset. Each study has the run the
/// worker trains and a rival whose validation curve is planted in the registry (as a finished run of the study would have
/// left it): NDCG@10 = 1 at every epoch, which no run can beat, or 0, which every run beats. With η = 2 and two runs at a
/// rung, only the better goes on.
/// </summary>
public sealed class AshaWorkerTests
{
    private static readonly RunOptions Small = new()
    {
        Layers = 1, Dim = 8, MaxLength = 10, Epochs = 4, EvalEvery = 1, Eval = EvalProtocol.Full, Threads = 1,
    };

    private static readonly AshaSettings Asha = new() { Metric = "NDCG@10", Rungs = [1, 2], Eta = 2 };

    [Fact]
    public async Task RunBelowTheCutoffStopsEarlyWithItsPartialCurvesAndCheckpointWhileARunAboveGoesOn()
    {
        await using var harness = await WorkerHarness.CreateAsync();
        var (catalog, metrics) = (harness.Catalog, harness.Metrics);
        var behind = await StudyWithRivalAsync(harness, "behind", rival: 1.0);
        var ahead = await StudyWithRivalAsync(harness, "ahead", rival: 0.0);

        await harness.StartWorkerAsync();
        await harness.WaitUntilFinishedAsync(behind, ahead);
        await harness.StopWorkerAsync();

        var stopped = (await catalog.FindAsync(behind))!;
        Assert.Equal((RunStatus.StoppedEarly, 1), (stopped.Status, stopped.EpochsDone));
        Assert.NotNull(stopped.FinishedUtc);
        // Its partial curves stay: validation up to the rung and no further, the training loss of the epoch it trained.
        var valid = await metrics.SeriesAsync(behind, MetricSplits.Valid, "NDCG@10");
        Assert.Equal([1], valid.Select(p => p.Epoch));
        Assert.NotEmpty(await metrics.SeriesAsync(behind, MetricSplits.Train, "loss"));
        Assert.NotNull(stopped.TestNdcg10);
        Assert.True(File.Exists(stopped.CheckpointPath), "the stopped run keeps its checkpoint");
        var why = (await catalog.EventsAsync(behind)).Select(e => e.Text).Single(t => t.StartsWith("ASHA", StringComparison.Ordinal));
        Assert.Contains("rung at epoch 1", why);
        Assert.Contains("rank 2 of 2 runs", why);
        Assert.Contains("cut-off 1", why);
        Assert.Contains("stopped early", why);

        var finished = (await catalog.FindAsync(ahead))!;
        Assert.Equal((RunStatus.Completed, 4), (finished.Status, finished.EpochsDone));
        Assert.Equal([1, 2, 3, 4], (await metrics.SeriesAsync(ahead, MetricSplits.Valid, "NDCG@10")).Select(p => p.Epoch));
        Assert.Equal(2, (await catalog.EventsAsync(ahead)).Count(e => e.Text.StartsWith("ASHA", StringComparison.Ordinal) && e.Text.EndsWith("goes on.", StringComparison.Ordinal)));

        var summaries = await catalog.StudySummariesAsync();
        var behindStudy = summaries.Single(s => s.Name == "behind");
        Assert.Equal((1, 1, 3L), (behindStudy.StoppedEarly, behindStudy.Completed, behindStudy.EpochsSaved));
        Assert.Equal(RunStatus.Completed, StudyStatus.RollUp([RunStatus.StoppedEarly, RunStatus.Completed]));
        Assert.Equal((0, 0L), (summaries.Single(s => s.Name == "ahead").StoppedEarly, summaries.Single(s => s.Name == "ahead").EpochsSaved));
    }

    /// <summary>A two-run study under ASHA: returns the run left queued; the other becomes a finished rival with a planted curve.</summary>
    private static async Task<int> StudyWithRivalAsync(WorkerHarness harness, string name, double rival)
    {
        var catalog = harness.Catalog;
        var (_, runs) = await catalog.CreateStudyAsync(name, harness.Dataset, new StudyGrid { Base = Small, Seeds = [1, 2], Asha = Asha });
        var other = runs[1].Id;
        await catalog.UpdateAsync(other, r => { r.Status = RunStatus.Completed; r.EpochsDone = r.Epochs; });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await harness.Metrics.AppendAsync(other,
            Enumerable.Range(1, 4).Select(e => new MetricPoint(MetricSplits.Valid, "NDCG@10", e * 10, e, rival, now)).ToList());
        return runs[0].Id;
    }
}
