using PLaw.Engine.Training;
using PLaw.Registry.Runs;

namespace PLaw.Registry.Tests.Runs;

public sealed class MetricStoreTests
{
    private static async Task<(TemporaryRegistry Registry, int RunId)> RunAsync()
    {
        var registry = await TemporaryRegistry.CreateAsync();
        var dataset = await RunRegistryData.StoreSmallDatasetAsync(registry);
        var run = await registry.Get<RunCatalog>().QueueAsync(dataset, new RunOptions { Layers = 1, Dim = 8, MaxLength = 10 });
        return (registry, run.Id);
    }

    private static MetricPoint Loss(long step, double value) => new(MetricSplits.Train, "loss", step, 1, value, 1000 + step);

    [Fact]
    public async Task RewrittenStepsReplaceInsteadOfDuplicating()
    {
        var (registry, run) = await RunAsync();
        await using var _ = registry;
        var store = registry.Get<MetricStore>();
        await store.AppendAsync(run, Enumerable.Range(1, 10).Select(s => Loss(s, 1.0 / s)).ToList());
        // A resumed run re-does steps 6..12 from its checkpoint.
        await store.AppendAsync(run, Enumerable.Range(6, 7).Select(s => Loss(s, 2.0 / s)).ToList());

        var series = await store.SeriesAsync(run, MetricSplits.Train, "loss");
        Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), series.Select(p => p.Step));
        Assert.Equal(2.0 / 6, series[5].Value, 12);
        Assert.Equal(1.0 / 5, series[4].Value, 12);
    }

    [Fact]
    public async Task LongSeriesAreAveragedIntoBuckets()
    {
        var (registry, run) = await RunAsync();
        await using var _ = registry;
        var store = registry.Get<MetricStore>();
        await store.AppendAsync(run, Enumerable.Range(0, 10_000).Select(s => Loss(s, s % 2)).ToList());

        var series = await store.SeriesAsync(run, MetricSplits.Train, "loss", maxPoints: 500);
        Assert.InRange(series.Count, 450, 500);
        Assert.All(series, p => Assert.Equal(0.5, p.Value, 9));
        Assert.Equal(9_999, series[^1].Step);
    }

    [Fact]
    public async Task NotANumberIsStoredAsMissing()
    {
        var (registry, run) = await RunAsync();
        await using var _ = registry;
        var store = registry.Get<MetricStore>();
        await store.AppendAsync(run, [Loss(1, double.NaN), Loss(2, 0.5)]);
        var series = await store.SeriesAsync(run, MetricSplits.Train, "loss");
        Assert.True(double.IsNaN(series[0].Value));
        Assert.Equal(0.5, series[1].Value);
    }

    [Fact]
    public async Task ExportStreamsEveryPointAsCsv()
    {
        var (registry, run) = await RunAsync();
        await using var _ = registry;
        var store = registry.Get<MetricStore>();
        await store.AppendAsync(run, [Loss(1, 0.75), new MetricPoint(MetricSplits.Test, "NDCG@10", 1, 1, 0.25, 5)]);
        using var buffer = new MemoryStream();
        await RunExport.MetricsCsvAsync(store.StreamAsync([run]), buffer);
        var lines = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["run,split,name,step,epoch,value,timeUnixMs", $"{run},test,NDCG@10,1,1,0.25,5", $"{run},train,loss,1,1,0.75,1001"], lines);
    }
}
