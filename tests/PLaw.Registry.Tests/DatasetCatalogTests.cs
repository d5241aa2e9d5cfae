using Microsoft.EntityFrameworkCore;
using PLaw.Data.Import;
using PLaw.Data.Storage;
using PLaw.Registry.Datasets;

namespace PLaw.Registry.Tests;

public sealed class DatasetCatalogTests
{
    private const string MovieLensSample =
        "1\t10\t5\t100\n1\t11\t4\t90\n2\t10\t3\t50\n2\t12\t5\t60\n2\t13\t1\t70\n3\t11\t2\t10\n";

    private static DatasetImportRequest Request(string path, string name) =>
        new(path, name, new ImportOptions(InteractionFormat.MovieLens));

    [Fact]
    public async Task ImportStoresTheSequencesTheImporterReads()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = registry.WriteFile("u.data", MovieLensSample);
        var record = await registry.Get<DatasetCatalog>().ImportAsync(Request(path, "tiny"));

        var expected = DatasetImporter.Import(path, new ImportOptions(InteractionFormat.MovieLens)).Sequences;
        var stored = await registry.Get<DatasetCatalog>().LoadSequencesAsync(record.Id);
        Assert.Equal(expected.Offsets, stored.Offsets);
        Assert.Equal(expected.Items, stored.Items);
        Assert.Equal((3, 4, 6L), (record.Users, record.Items, record.Interactions));
        Assert.Equal(SequenceSetFormat.Checksum(expected), record.Checksum);
        Assert.Equal("movielens", record.Format);
    }

    [Fact]
    public async Task ABadFileLeavesNothingInTheRegistry()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = registry.WriteFile("bad.data", "1\t10\t5\t100\n1\t11\t4\tyesterday\n");
        var error = await Assert.ThrowsAsync<DataFormatException>(() => registry.Get<DatasetCatalog>().ImportAsync(Request(path, "bad")));
        Assert.Equal(2, error.Line);
        await using var db = registry.OpenContext();
        Assert.Equal(0, await db.Datasets.CountAsync());
        Assert.Equal(0, await db.DatasetSequences.CountAsync());
    }

    [Fact]
    public async Task ASecondDatasetWithTheSameNameIsRefused()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = registry.WriteFile("u.data", MovieLensSample);
        var catalog = registry.Get<DatasetCatalog>();
        await catalog.ImportAsync(Request(path, "same"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.ImportAsync(Request(path, "same")));
        Assert.Contains("'same' already exists", error.Message);
        Assert.Single(await catalog.ListAsync());
    }

    [Fact]
    public async Task DeletingHidesADatasetAndPurgingRemovesItsSequencesAndEntropyRows()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = registry.WriteFile("u.data", MovieLensSample);
        var record = await registry.Get<DatasetCatalog>().ImportAsync(Request(path, "doomed"));
        await registry.Get<PLaw.Registry.Entropy.EntropyReports>().GetOrComputeAsync(record.Id, PLaw.Entropy.EntropyTableOptions.Default);

        Assert.True(await registry.Get<DatasetCatalog>().DeleteAsync(record.Id));
        await using (var db = registry.OpenContext())
        {
            Assert.Equal(0, await db.Datasets.CountAsync());
            Assert.Equal(1, await db.DatasetSequences.CountAsync()); // kept, so a restore brings the dataset back whole
        }
        Assert.False(await registry.Get<DatasetCatalog>().DeleteAsync(record.Id));

        Assert.True(await registry.Get<DatasetCatalog>().PurgeAsync(record.Id));
        await using (var db = registry.OpenContext())
        {
            Assert.Equal(0, await db.Datasets.IgnoreQueryFilters().CountAsync());
            Assert.Equal(0, await db.DatasetSequences.CountAsync());
            Assert.Equal(0, await db.EntropyReports.CountAsync());
        }
        Assert.False(await registry.Get<DatasetCatalog>().PurgeAsync(record.Id));
    }

    [Fact]
    public async Task ImportReportsProgressUpToDone()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = registry.WriteFile("u.data", MovieLensSample);
        var stages = new List<DatasetImportProgress>();
        await registry.Get<DatasetCatalog>().ImportAsync(Request(path, "progress"), new SynchronousProgress<DatasetImportProgress>(stages.Add));
        Assert.Equal("done", stages[^1].Stage);
        Assert.Equal(1.0, stages[^1].Fraction);
        Assert.Contains(stages, s => s.Stage == "storing");
    }

    [Fact]
    public async Task ACancelledImportStoresNothing()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var path = registry.WriteFile("u.data", MovieLensSample);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registry.Get<DatasetCatalog>().ImportAsync(Request(path, "c"), ct: cancelled.Token));
        Assert.Empty(await registry.Get<DatasetCatalog>().ListAsync());
    }
}

internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
