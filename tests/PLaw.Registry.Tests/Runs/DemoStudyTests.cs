using PLaw.Registry.Demo;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Tests.Runs;

public sealed class DemoStudyTests
{
    [Fact]
    public async Task DemoStudyQueuesNineRunsOnTheDemoDatasetAndCanBeQueuedAgain()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var demoId = await registry.Get<DemoDataset>().SeedIfEmptyAsync();
        var first = await registry.Get<DemoStudy>().QueueAsync();
        var second = await registry.Get<DemoStudy>().QueueAsync();
        Assert.NotNull(first);
        Assert.Equal(("demo-scaling", "demo-scaling-2"), (first.Name, second!.Name));
        var runs = await registry.Get<RunCatalog>().ListAsync(first.Id);
        Assert.Equal(9, runs.Count);
        Assert.All(runs, r => Assert.Equal((demoId!.Value, RunStatus.Queued, "demo"), (r.DatasetId, r.Status, r.Tags)));
        Assert.Equal([1, 2, 4], runs.Select(r => r.Layers).Distinct().Order());
    }
}
