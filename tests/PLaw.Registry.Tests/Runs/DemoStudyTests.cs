using PLaw.Engine.Training;
using PLaw.Registry.Datasets;
using PLaw.Registry.Demo;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Tests.Runs;

public sealed class DemoStudyTests
{
    [Fact]
    public async Task DemoStudyQueuesNineRunsOnceAndNamesTheExistingOneAfterwards()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var demoId = await registry.Get<DemoDataset>().SeedIfEmptyAsync();
        var first = await registry.Get<DemoStudy>().QueueAsync();
        var second = await registry.Get<DemoStudy>().QueueAsync();
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(("demo-scaling", first.Study.Id), (second.Study.Name, second.Study.Id));
        Assert.Single(await registry.Get<RunCatalog>().StudiesAsync());
        var runs = await registry.Get<RunCatalog>().ListAsync(first.Study.Id);
        Assert.Equal(9, runs.Count);
        Assert.All(runs, r => Assert.Equal((demoId!.Value, RunStatus.Queued, "demo"), (r.DatasetId, r.Status, r.Tags)));
        Assert.Equal([1, 2, 4], runs.Select(r => r.Layers).Distinct().Order());
        Assert.Equal([8, 16, 32], runs.Select(r => r.Dim).Distinct().Order());
    }

    [Fact]
    public async Task TheGridHasMorePointsThanThePerformanceLawHasParameters()
    {
        // P(n, d) = w1·φ(n; w3) + w2·φ(d; w4) + φ(D; w5) + b: seven parameters; the fit refuses fewer points than that.
        var runs = DemoStudy.Grid.Expand();
        Assert.True(runs.Count > 7, $"{runs.Count} runs");
        Assert.True(runs.Select(r => r.Layers).Distinct().Count() >= 3 && runs.Select(r => r.Dim).Distinct().Count() >= 3,
            "each exponent needs three or more distinct values of its input");
        Assert.All(runs, r => Assert.Equal(EvalProtocol.Full, r.Eval));
    }

    [Fact]
    public async Task DemoStudyStoresTheDemoDatasetAgainWhenItWasDeleted()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var datasets = registry.Get<DatasetCatalog>();
        var demoId = await registry.Get<DemoDataset>().SeedIfEmptyAsync();
        Assert.True(await datasets.DeleteAsync(demoId!.Value));

        var queued = await registry.Get<DemoStudy>().QueueAsync();
        Assert.True(queued.Created);
        var demo = await datasets.FindByNameAsync(DemoDataset.Name);
        Assert.NotNull(demo);
        Assert.Equal(demo.Id, queued.Study.DatasetId);
        Assert.Equal(9, (await registry.Get<RunCatalog>().ListAsync(queued.Study.Id)).Count);
    }
}
