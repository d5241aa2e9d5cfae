using System.Text.Json;
using PLaw.Engine.Training;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Registry.Tests.Runs;

/// <summary>The runs list's paged, sorted and filtered query, checked against the same rules applied to every run in memory.</summary>
public sealed class RunQueryTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    /// <summary>36 study runs (two families × three depths × two widths × three seeds) and three loose ones, some finished.</summary>
    private static async Task<(TemporaryRegistry Registry, int StudyId)> SeedAsync()
    {
        var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var catalog = registry.Get<RunCatalog>();
        var grid = new StudyGrid
        {
            Base = Small, Models = [ModelFamily.Sasrec, ModelFamily.Hstu], Layers = [1, 2, 4], Dims = [8, 16], Seeds = [1, 2, 3],
        };
        var (study, runs) = await catalog.CreateStudyAsync("grid", dataset, grid);
        await catalog.QueueAsync(dataset, Small with { Eval = EvalProtocol.Full, Seed = 100 }, "Baseline");
        await catalog.QueueAsync(dataset, Small with { Seed = 101 }, "50%_off");
        await catalog.QueueAsync(dataset, Small with { Model = ModelFamily.Llama, Seed = 102 });
        foreach (var run in runs.Where(r => r.Id % 3 != 0))
            await catalog.UpdateAsync(run.Id, r =>
            {
                r.Status = r.Id % 5 == 0 ? RunStatus.Failed : RunStatus.Completed;
                r.TestNdcg10 = r.Status == RunStatus.Completed ? Math.Round((r.Id * 37 % 23) / 100.0, 2) : null;   // ties on purpose
            });
        return (registry, study.Id);
    }

    [Fact]
    public async Task PagesFollowTheSortAcrossTheWholeTableWithoutGapsOrRepeats()
    {
        var (registry, _) = await SeedAsync();
        await using var _r = registry;
        var catalog = registry.Get<RunCatalog>();
        var all = await catalog.ListAsync();
        Assert.Equal(39, all.Count);

        var expected = all.OrderByDescending(r => r.TestNdcg10).ThenByDescending(r => r.Id).Select(r => r.Id).ToList();
        var read = new List<int>();
        for (var p = 0; p < 4; p++)
        {
            var page = await catalog.QueryAsync(new RunQuery { Sort = RunSort.Ndcg10, Descending = true, Page = p, PageSize = 10 });
            Assert.Equal((39, 39, 4, p), (page.Matching, page.Total, page.PageCount, page.Page));
            Assert.Equal(p < 3 ? 10 : 9, page.Rows.Count);
            read.AddRange(page.Rows.Select(r => r.Run.Id));
        }
        Assert.Equal(expected, read);

        var byName = await catalog.QueryAsync(new RunQuery { Sort = RunSort.Name, Descending = false, PageSize = 200 });
        Assert.Equal(all.OrderBy(r => r.Name, StringComparer.Ordinal).ThenByDescending(r => r.Id).Select(r => r.Id), byName.Rows.Select(r => r.Run.Id));
        var byParams = await catalog.QueryAsync(new RunQuery { Sort = RunSort.Parameters, Descending = true, PageSize = 200 });
        Assert.Equal(all.OrderByDescending(r => r.NonEmbeddingParameters).ThenByDescending(r => r.Id).Select(r => r.Id), byParams.Rows.Select(r => r.Run.Id));

        // The default: newest first; a page past the end gives the last page.
        var newest = await catalog.QueryAsync(new RunQuery { PageSize = 5 });
        Assert.Equal(all.OrderByDescending(r => r.Id).Take(5).Select(r => r.Id), newest.Rows.Select(r => r.Run.Id));
        var past = await catalog.QueryAsync(new RunQuery { Page = 99, PageSize = 25 });
        Assert.Equal((1, 14), (past.Page, past.Rows.Count));
    }

    [Fact]
    public async Task FiltersCombineAndCountWhatMatches()
    {
        var (registry, studyId) = await SeedAsync();
        await using var _r = registry;
        var catalog = registry.Get<RunCatalog>();
        var all = await catalog.ListAsync();

        async Task<List<int>> Ids(RunQuery q) => (await catalog.QueryAsync(q with { PageSize = 200 })).Rows.Select(r => r.Run.Id).ToList();
        List<int> Expect(Func<RunSummary, bool> where) => all.Where(where).OrderByDescending(r => r.Id).Select(r => r.Id).ToList();

        Assert.Equal(Expect(r => r.Status == RunStatus.Completed), await Ids(new RunQuery { Status = RunStatus.Completed }));
        Assert.Equal(Expect(r => r.Model == "hstu"), await Ids(new RunQuery { Model = "HSTU" }));
        Assert.Equal(Expect(r => r.StudyId == studyId && r.Model == "sasrec" && r.Status == RunStatus.Failed),
            await Ids(new RunQuery { StudyId = studyId, Model = "sasrec", Status = RunStatus.Failed }));
        Assert.Equal(Expect(r => r.StudyId is null), await Ids(new RunQuery { Text = "-s10" }));   // names end in -s100, -s101, -s102

        // Text: case-insensitive in names and tags, % taken literally, a number also matches the id.
        Assert.Equal(Expect(r => r.Tags == "baseline"), await Ids(new RunQuery { Text = "BASELINE" }));
        Assert.Equal(Expect(r => r.Tags == "50%_off"), await Ids(new RunQuery { Text = "50%_" }));
        Assert.Empty(await Ids(new RunQuery { Text = "5_%" }));
        var someId = all[10].Id;
        Assert.Contains(someId, await Ids(new RunQuery { Text = someId.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var filtered = await catalog.QueryAsync(new RunQuery { Status = RunStatus.Queued, PageSize = 5 });
        Assert.Equal((all.Count(r => r.Status == RunStatus.Queued), all.Count), (filtered.Matching, filtered.Total));
    }

    [Fact]
    public async Task RowsCarryTheProtocolTheirMetricsWereMeasuredUnder()
    {
        var (registry, _) = await SeedAsync();
        await using var _r = registry;
        var page = await registry.Get<RunCatalog>().QueryAsync(new RunQuery { PageSize = 200 });
        Assert.Equal(EvalProtocol.Full, Assert.Single(page.Rows, r => r.Run.Tags == "baseline").Eval);
        Assert.All(page.Rows.Where(r => r.Run.Tags != "baseline"), r => Assert.Equal(EvalProtocol.Sampled100, r.Eval));
    }

    [Fact]
    public async Task GroupsAndStudySummariesCountInTheDatabase()
    {
        var (registry, studyId) = await SeedAsync();
        await using var _r = registry;
        var catalog = registry.Get<RunCatalog>();
        var all = await catalog.ListAsync();

        var byModel = await catalog.GroupsAsync(new RunQuery(), RunGrouping.Model);
        Assert.Equal(all.GroupBy(r => r.Model).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RunGroup(g.Key, g.Count(), g.Count(r => r.Status == RunStatus.Completed), g.Max(r => r.TestNdcg10))),
            byModel);
        var byStudy = await catalog.GroupsAsync(new RunQuery { Status = RunStatus.Queued }, RunGrouping.Study);
        Assert.Equal([studyId.ToString(System.Globalization.CultureInfo.InvariantCulture), ""], byStudy.Select(g => g.Key));

        var summary = Assert.Single(await catalog.StudySummariesAsync());
        var mine = all.Where(r => r.StudyId == studyId).ToList();
        Assert.Equal((studyId, "grid", 36), (summary.Id, summary.Name, summary.Runs));
        Assert.Equal((mine.Count(r => r.Status == RunStatus.Queued), mine.Count(r => r.Status == RunStatus.Completed), mine.Count(r => r.Status == RunStatus.Failed)),
            (summary.Queued, summary.Completed, summary.Failed));
        Assert.Equal(mine.Max(r => r.TestNdcg10), summary.BestNdcg10);
    }

    [Fact]
    public async Task SortedPagesReadAnIndexNotTheWholeTable()
    {
        var (registry, _) = await SeedAsync();
        await using var _r = registry;
        var catalog = registry.Get<RunCatalog>();
        async Task<string> Plan(RunQuery q) => string.Join(" | ", await catalog.QueryPlanAsync(q));

        // The plans of the very queries the runs list sends: no sort of the whole table for these pages.
        var newest = await Plan(new RunQuery { Page = 3 });
        Assert.DoesNotContain("TEMP B-TREE", newest, StringComparison.Ordinal);
        var best = await Plan(new RunQuery { Sort = RunSort.Ndcg10, Descending = true });
        Assert.Contains("INDEX IX_Runs_TestNdcg10", best, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", best, StringComparison.Ordinal);
        Assert.Contains("INDEX IX_Runs_Name", await Plan(new RunQuery { Sort = RunSort.Name, Descending = false }), StringComparison.Ordinal);
        Assert.Contains("INDEX IX_Runs_Model", await Plan(new RunQuery { Model = "hstu" }), StringComparison.Ordinal);
        Assert.Contains("INDEX IX_Runs_Status", await Plan(new RunQuery { Status = RunStatus.Failed }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonExportWritesTimesInUtcWithTheirZ()
    {
        var (registry, _) = await SeedAsync();
        await using var _r = registry;
        var runs = await registry.Get<RunCatalog>().ListAsync();
        using var stream = new MemoryStream();
        await RunExport.RunsJsonAsync(runs, stream);
        using var json = JsonDocument.Parse(stream.ToArray());
        var first = json.RootElement[0];
        var created = first.GetProperty("createdUtc").GetString()!;
        Assert.EndsWith("Z", created, StringComparison.Ordinal);
        var parsed = DateTime.Parse(created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(runs[0].CreatedUtc, parsed, TimeSpan.FromMilliseconds(1));
        Assert.Equal(JsonValueKind.Null, first.TryGetProperty("startedUtc", out var started) ? started.ValueKind : JsonValueKind.Null);
    }
}
