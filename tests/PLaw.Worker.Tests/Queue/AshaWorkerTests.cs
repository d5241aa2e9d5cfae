using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PLaw.Engine.Training;
using PLaw.Laws.EarlyStopping;
using PLaw.Registry.Datasets;
using PLaw.Worker.Queue;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;
using PLaw.Registry.Tests;
using PLaw.Registry.Tests.Runs;
using PLaw.Registry;

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
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var metrics = registry.Get<MetricStore>();
        var behind = await StudyWithRivalAsync(registry, dataset, "behind", rival: 1.0);
        var ahead = await StudyWithRivalAsync(registry, dataset, "ahead", rival: 0.0);

        var worker = new RunQueueWorker(catalog, metrics, registry.Get<DatasetCatalog>(), registry.Get<RunFeed>(),
            Options.Create(new PLawOptions { DataDirectory = registry.Directory, QueuePollMilliseconds = 50, MetricFlushMilliseconds = 50 }),
            NullLogger<RunQueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // Progress, not time: wait until both runs have finished; the bound only keeps a broken build from hanging.
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            while (!(await catalog.FindAsync(behind, bound.Token))!.Status.IsFinished() ||
                   !(await catalog.FindAsync(ahead, bound.Token))!.Status.IsFinished())
                await Task.Delay(50, bound.Token);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

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
    private static async Task<int> StudyWithRivalAsync(TemporaryRegistry registry, int dataset, string name, double rival)
    {
        var catalog = registry.Get<RunCatalog>();
        var (_, runs) = await catalog.CreateStudyAsync(name, dataset, new StudyGrid { Base = Small, Seeds = [1, 2], Asha = Asha });
        var other = runs[1].Id;
        await catalog.UpdateAsync(other, r => { r.Status = RunStatus.Completed; r.EpochsDone = r.Epochs; });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await registry.Get<MetricStore>().AppendAsync(other,
            Enumerable.Range(1, 4).Select(e => new MetricPoint(MetricSplits.Valid, "NDCG@10", e * 10, e, rival, now)).ToList());
        return runs[0].Id;
    }
}
