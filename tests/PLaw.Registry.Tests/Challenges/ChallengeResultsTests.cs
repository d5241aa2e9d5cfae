using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Challenges;
using PLaw.Engine.Training;
using PLaw.Registry.Challenges;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Studies;
using PLaw.Registry.Tests.Runs;

namespace PLaw.Registry.Tests.Challenges;

/// <summary>Stored challenge reports: a round trip, a save that replaces, a study's list, and rows that go with their runs.</summary>
public sealed class ChallengeResultsTests
{
    private static ChallengeReport Report(double g4, int usersScored = 30, int scoredUsers = 60) => new()
    {
        Model = "sasrec-l1-d8", Items = 40, ScoredUsers = scoredUsers, UsersScored = usersScored,
        LongTail = new LongTailResult("g", [new PopularityGroupResult("G1", 10, 3, 9, 20, 0.5, 0.25), new PopularityGroupResult("G4", 10, 0, 1, 10, null, g4)]),
        ColdStart = new ColdStartResult(false, "no new users", 0, 0, []),
        Trajectory = new TrajectoryResult(10, "test users", 30, 0.125, [0.25, 0], [0.125, 0], "TR"),
    };

    private static async Task<(int Dataset, StudyRecord Study, IReadOnlyList<RunRecord> Runs, RunRecord Outside)> StudyAsync(TemporaryRegistry registry)
    {
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var (study, runs) = await catalog.CreateStudyAsync("sizes", dataset,
            new StudyGrid { Base = new RunOptions { MaxLength = 10, Epochs = 1 }, Layers = [1], Dims = [8, 16] });
        var outside = await catalog.QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1 });
        var finished = DateTime.UtcNow.AddMinutes(-1);
        foreach (var run in runs.Append(outside))
            await catalog.UpdateAsync(run.Id, r => { r.Status = RunStatus.Completed; r.FinishedUtc = finished; });
        return (dataset, study, runs, outside);
    }

    [Fact]
    public async Task ASavedReportRoundTripsAndASecondSaveReplacesIt()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var (_, study, runs, outside) = await StudyAsync(registry);
        var results = registry.Get<ChallengeResults>();

        var before = DateTime.UtcNow;
        await results.SaveAsync(runs[0].Id, Report(0.0625), maxUsers: 30);
        var found = await results.FindAsync(runs[0].Id);
        Assert.NotNull(found);
        Assert.Equal(RegistryJson.Serialize(Report(0.0625)), RegistryJson.Serialize(found.Report));
        Assert.Equal(30, found.UsersScored);
        Assert.Equal(30, found.MaxUsers);
        Assert.Equal(DateTimeKind.Utc, found.ComputedUtc.Kind);
        Assert.InRange(found.ComputedUtc, before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Null(found.Report.LongTail!.Groups[1].HitRate10);

        await results.SaveAsync(runs[0].Id, Report(0.5, usersScored: 60), maxUsers: 0);
        var replaced = await results.FindAsync(runs[0].Id);
        Assert.Equal(0.5, replaced!.Report.LongTail!.Groups[1].Ndcg10);
        Assert.Equal(0, replaced.MaxUsers);
        Assert.Equal(60, replaced.UsersScored);
        await using (var db = registry.OpenContext())
            Assert.Equal(1, await db.ChallengeResults.CountAsync());

        await results.SaveAsync(outside.Id, Report(0.25), maxUsers: 30);
        Assert.Null(await results.FindAsync(runs[1].Id));
        Assert.Equal([runs[0].Id], (await results.ListForStudyAsync(study.Id)).Select(r => r.RunId));

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => results.SaveAsync(9999, Report(0.1), 30));
        Assert.Contains("Run 9999 does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStudyStateCountsReportsComputedAfterTheRunFinishedWithTheSameUsers()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var (_, study, runs, _) = await StudyAsync(registry);
        var results = registry.Get<ChallengeResults>();
        var studies = registry.Get<StudyChallengeCatalog>();

        var empty = await studies.LoadAsync(study, maxUsers: 30);
        Assert.Equal(runs.Select(r => r.Id), empty.Missing.Select(r => r.Id));
        Assert.Empty(empty.View.Runs);

        await results.SaveAsync(runs[0].Id, Report(0.0625), maxUsers: 30);
        var one = await studies.LoadAsync(study, maxUsers: 30);
        Assert.Equal([runs[1].Id], one.Missing.Select(r => r.Id));
        var sized = Assert.Single(one.View.Runs);
        Assert.Equal(("SASRec", runs[0].NonEmbeddingParameters, 8), (sized.Family, sized.Size, sized.Dim));

        // Another user cap scores other users: missing for that cap, unless the report scored every user.
        Assert.Equal(2, (await studies.LoadAsync(study, maxUsers: 10)).Missing.Count);
        await results.SaveAsync(runs[1].Id, Report(0.0625, usersScored: 60), maxUsers: 100);
        Assert.Equal([runs[0].Id], (await studies.LoadAsync(study, maxUsers: 0)).Missing.Select(r => r.Id));

        // Trained further after the report (it finished later): the report is stale.
        await registry.Get<RunCatalog>().UpdateAsync(runs[0].Id, r => r.FinishedUtc = DateTime.UtcNow.AddMinutes(1));
        Assert.Contains(runs[0].Id, (await studies.LoadAsync(study, maxUsers: 30)).Missing.Select(r => r.Id));

        Assert.Equal(study.Id, (await studies.FindStudyAsync(study.Id.ToString()))!.Id);
        Assert.Equal(study.Id, (await studies.FindStudyAsync("sizes"))!.Id);
        Assert.Null(await studies.FindStudyAsync("nope"));
    }

    [Fact]
    public async Task AnAblationStudyShowsEachAblationAsItsOwnFamilyNotAsSeedsOfHstu()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var (study, runs) = await catalog.CreateStudyAsync("ablations", dataset, new StudyGrid
        {
            Base = new RunOptions { Model = ModelFamily.Hstu, Variant = Variants.Reference, Layers = 1, MaxLength = 10, Epochs = 1 },
            Dims = [8], Ablations = ["none", "rab", "gate,rab"],
        });
        var sasrec = await catalog.QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1 });
        var plaw = await catalog.QueueAsync(dataset, new RunOptions
        {
            Model = ModelFamily.Hstu, Variant = Variants.PLaw, Ablate = "silu", Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1,
        });
        var finished = DateTime.UtcNow.AddMinutes(-1);
        var results = registry.Get<ChallengeResults>();
        foreach (var run in runs.Append(sasrec).Append(plaw))
        {
            await catalog.UpdateAsync(run.Id, r => { r.StudyId = study.Id; r.Status = RunStatus.Completed; r.FinishedUtc = finished; });
            await results.SaveAsync(run.Id, Report(0.1), maxUsers: 30);
        }

        var view = (await registry.Get<StudyChallengeCatalog>().LoadAsync(study, maxUsers: 30)).View;
        Assert.Equal(["HSTU", "HSTU (PLaw, no silu)", "HSTU (no rab)", "HSTU (no rab, no gate)", "SASRec"],
            view.Runs.Select(r => r.Family).Distinct());
    }

    [Fact]
    public async Task PurgingTheDatasetRemovesTheReportsAndSoftDeletingKeepsThem()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var (dataset, _, runs, outside) = await StudyAsync(registry);
        var other = await RunRegistryData.StoreSmallDatasetAsync(registry, "other");
        var kept = await registry.Get<RunCatalog>().QueueAsync(other, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1 });
        await registry.Get<RunCatalog>().UpdateAsync(kept.Id, r => r.Status = RunStatus.Completed);
        var results = registry.Get<ChallengeResults>();
        foreach (var run in runs.Append(outside).Append(kept)) await results.SaveAsync(run.Id, Report(0.1), 30);

        var catalog = registry.Get<DatasetCatalog>();
        Assert.True(await catalog.DeleteAsync(dataset));
        await using (var db = registry.OpenContext())
            Assert.Equal(4, await db.ChallengeResults.CountAsync());

        Assert.True(await catalog.PurgeAsync(dataset));
        await using (var db = registry.OpenContext())
            Assert.Equal([kept.Id], await db.ChallengeResults.Select(c => c.RunId).ToListAsync());
    }
}
