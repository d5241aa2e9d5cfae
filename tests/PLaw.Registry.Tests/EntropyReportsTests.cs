using Microsoft.EntityFrameworkCore;
using PLaw.Data.Synthetic;
using PLaw.Entropy;
using PLaw.Registry.Datasets;
using PLaw.Registry.Demo;
using PLaw.Registry.Entropy;

namespace PLaw.Registry.Tests;

public sealed class EntropyReportsTests
{
    private static async Task<int> StoreMarkovAsync(TemporaryRegistry registry, string name = "markov")
    {
        var data = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 300, Items: 80, Seed: 7));
        var record = await registry.Get<DatasetCatalog>().StoreAsync(name, "synthetic", "synthetic", "{}", "{}", data.Sequences);
        return record.Id;
    }

    [Fact]
    public async Task TableIsComputedOnceThenReadFromTheRegistry()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var id = await StoreMarkovAsync(registry);
        var reports = registry.Get<EntropyReports>();

        var first = await reports.GetOrComputeAsync(id, EntropyTableOptions.Default);
        var second = await reports.GetOrComputeAsync(id, EntropyTableOptions.Default);

        Assert.Equal([25, 50, 100, 200], first.Select(r => r.Row.MaxLen));
        Assert.All(first, r => Assert.False(r.FromCache));
        Assert.All(second, r => Assert.True(r.FromCache));
        Assert.Equal(first.Select(r => r.Row), second.Select(r => r.Row));
        Assert.All(first, r => Assert.True(r.ComputeMilliseconds > 0));
    }

    [Fact]
    public async Task StoredRowsEqualTheLibraryComputation()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var id = await StoreMarkovAsync(registry);
        var sequences = await registry.Get<DatasetCatalog>().LoadSequencesAsync(id);
        var expected = EntropyTable.Compute(sequences, EntropyTableOptions.Default);

        var rows = await registry.Get<EntropyReports>().GetOrComputeAsync(id, EntropyTableOptions.Default);
        Assert.Equal(expected, rows.Select(r => r.Row));
    }

    [Fact]
    public async Task ANewLengthComputesOnlyTheMissingRow()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var id = await StoreMarkovAsync(registry);
        var reports = registry.Get<EntropyReports>();
        await reports.GetOrComputeAsync(id, EntropyTableOptions.Default);

        var rows = await reports.GetOrComputeAsync(id, new EntropyTableOptions([25, 30, 50]));
        Assert.Equal([25, 30, 50], rows.Select(r => r.Row.MaxLen));
        Assert.Equal([true, false, true], rows.Select(r => r.FromCache));
        await using var db = registry.OpenContext();
        Assert.Equal(5, await db.EntropyReports.CountAsync(e => e.DatasetId == id));
    }

    [Fact]
    public async Task OtherApEnParametersAreKeptApart()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var id = await StoreMarkovAsync(registry);
        var reports = registry.Get<EntropyReports>();
        var r0 = await reports.GetOrComputeAsync(id, new EntropyTableOptions([50], M: 2, R: 0));
        var r1 = await reports.GetOrComputeAsync(id, new EntropyTableOptions([50], M: 1, R: 0));
        Assert.False(r1[0].FromCache);
        Assert.NotEqual(r0[0].Row.Apen, r1[0].Row.Apen);
        Assert.Single(await reports.GetCachedAsync(id, 1, 0));
    }

    [Fact]
    public async Task ConcurrentRequestsComputeEachRowOnce()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var id = await StoreMarkovAsync(registry);
        var reports = registry.Get<EntropyReports>();
        var all = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => reports.GetOrComputeAsync(id, EntropyTableOptions.Default)));
        Assert.All(all, rows => Assert.Equal(4, rows.Count));
        Assert.Equal(4, all.SelectMany(rows => rows).Count(r => !r.FromCache));
    }

    [Fact]
    public async Task DemoIsSeededIntoAnEmptyRegistryOnly()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var demo = registry.Get<DemoDataset>();
        var id = await demo.SeedIfEmptyAsync();
        Assert.NotNull(id);
        Assert.Null(await demo.SeedIfEmptyAsync());
        var record = await registry.Get<DatasetCatalog>().FindAsync(id.Value);
        Assert.Equal(DemoDataset.Name, record!.Name);
        Assert.Equal(4, (await registry.Get<EntropyReports>().GetCachedAsync(id.Value, 2, 0)).Count);
    }
}
