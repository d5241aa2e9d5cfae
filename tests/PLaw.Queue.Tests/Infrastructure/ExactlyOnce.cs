using Microsoft.EntityFrameworkCore;
using PLaw.Registry;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>What "every run trained exactly once" means in the registry, checked over all runs at the end.</summary>
public static class ExactlyOnce
{
    /// <summary>
    /// Every run completed, claimed once (one attempt, one "started on" line), its lease cleared, and its train-loss series
    /// exactly the steps 1…StepsDone, one point each, with its epochs' points: nothing missing, nothing twice.
    /// </summary>
    /// <returns>How many runs each worker trained.</returns>
    public static async Task<IReadOnlyDictionary<string, int>> AssertAsync(RegistryDbContext db, int expectedRuns, Func<string> context)
    {
        var runs = await db.Runs.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(expectedRuns, runs.Count);
        var starts = (await db.RunEvents.AsNoTracking().Where(e => e.Text.StartsWith("started on")).Select(e => e.RunId).ToListAsync())
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var lossSteps = (await db.MetricPoints.AsNoTracking().Where(p => p.Split == "train" && p.Name == "loss")
                .Select(p => new { p.RunId, p.Step }).ToListAsync())
            .GroupBy(p => p.RunId).ToDictionary(g => g.Key, g => g.Select(p => p.Step).Order().ToList());
        var epochPoints = (await db.MetricPoints.AsNoTracking().Where(p => p.Split == "train" && p.Name == "epoch_loss")
                .Select(p => p.RunId).ToListAsync())
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        foreach (var run in runs)
        {
            var where = $"run {run.Id} ({run.Status}, attempts {run.Attempts}, worker {run.WorkerId})";
            Assert.True(run.Status == RunStatus.Completed, $"{where} did not complete.\n{context()}");
            Assert.True(run.Attempts == 1, $"{where} was claimed {run.Attempts} times.\n{context()}");
            Assert.True(starts.GetValueOrDefault(run.Id) == 1, $"{where} was started {starts.GetValueOrDefault(run.Id)} times.\n{context()}");
            Assert.Null(run.LeaseExpiresUtc);
            Assert.True(run.StepsDone > 0, $"{where} trained no step");
            var expected = Enumerable.Range(1, (int)run.StepsDone).Select(s => (long)s).ToList();
            Assert.True(expected.SequenceEqual(lossSteps.GetValueOrDefault(run.Id) ?? []),
                $"{where}: loss points at steps [{string.Join(",", lossSteps.GetValueOrDefault(run.Id) ?? [])}], expected 1…{run.StepsDone}");
            Assert.Equal(run.Epochs, epochPoints.GetValueOrDefault(run.Id));
            Assert.NotNull(run.TestNdcg10);
        }
        return runs.GroupBy(r => r.WorkerId!).ToDictionary(g => g.Key, g => g.Count());
    }
}
