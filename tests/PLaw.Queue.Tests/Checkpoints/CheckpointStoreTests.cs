using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry.Checkpoints;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;

namespace PLaw.Queue.Tests.Checkpoints;

/// <summary>
/// Checkpoints in the registry (issue #15), on both providers: a multi-chunk file comes back byte for byte, a replace is all
/// or nothing for a reader, a save by a worker that lost the run is rolled back, damage is caught by the hash, and purging the
/// run's dataset removes the chunks.
/// </summary>
public abstract class CheckpointStoreTests
{
    private static readonly RunOptions Small = new() { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 2 };

    protected abstract Task<TestRegistry> CreateRegistryAsync();

    private static async Task<(TestRegistry Registry, int Run)> RegistryWithRunAsync(Func<Task<TestRegistry>> create)
    {
        var registry = await create();
        var dataset = await registry.StoreSmallDatasetAsync();
        return (registry, (await registry.Get<RunCatalog>().QueueAsync(dataset, Small)).Id);
    }

    /// <summary>A file of <paramref name="bytes"/> random bytes (seeded) in the registry's folder.</summary>
    private static string RandomFile(TestRegistry registry, string name, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(registry.DataDirectory, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    [Fact]
    public async Task AMultiChunkCheckpointComesBackByteForByte()
    {
        var (registry, run) = await RegistryWithRunAsync(CreateRegistryAsync);
        await using var _ = registry;
        var store = registry.Get<CheckpointStore>();
        // Three full chunks and a partial fourth.
        var file = RandomFile(registry, "a.bin", 3 * CheckpointStore.ChunkBytes + 12_345, seed: 1);

        var saved = await store.SaveAsync(run, file);
        Assert.NotNull(saved);
        Assert.Equal((new FileInfo(file).Length, 4), (saved.Length, saved.Chunks));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), saved.Sha256);
        var found = await store.FindAsync(run);
        Assert.NotNull(found);
        Assert.Equal(saved with { SavedUtc = found.SavedUtc }, found);
        await using (var db = registry.OpenContext())
        {
            var rows = await db.CheckpointChunks.AsNoTracking().Where(c => c.RunId == run).OrderBy(c => c.Sequence)
                .Select(c => new { c.Sequence, Bytes = c.Data.Length }).ToListAsync();
            Assert.Equal([0, 1, 2, 3, 4], rows.Select(r => r.Sequence));
            Assert.Equal([0, CheckpointStore.ChunkBytes, CheckpointStore.ChunkBytes, CheckpointStore.ChunkBytes, 12_345], rows.Select(r => r.Bytes));
        }

        var elsewhere = Path.Combine(registry.DataDirectory, "other-host", "run", "checkpoint.bin");
        Assert.Equal(CheckpointFetch.Downloaded, await store.FetchAsync(run, elsewhere));
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(elsewhere));
        Assert.False(File.Exists(elsewhere + ".download"), "The partial download was left behind.");
        Assert.Equal(CheckpointFetch.AlreadyHere, await store.FetchAsync(run, elsewhere));
        // A stale copy on this host (another attempt's) is replaced by the registry's.
        await File.WriteAllBytesAsync(elsewhere, [1, 2, 3]);
        Assert.Equal(CheckpointFetch.Downloaded, await store.FetchAsync(run, elsewhere));
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(elsewhere));
        // The readers' view: a verified temporary copy, deleted when done with.
        var record = (await registry.Get<RunCatalog>().FindAsync(run))!;
        string temporary;
        using (var located = await registry.Get<CheckpointLocator>().LocateAsync(record, Path.Combine(registry.DataDirectory, "runs")))
        {
            Assert.True(located.FromRegistry);
            temporary = located.Path;
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(temporary));
        }
        Assert.False(File.Exists(temporary), "The reader's downloaded copy was left behind.");
    }

    [Fact]
    public async Task AReaderSeesTheOldCheckpointOrTheNewOneNeverAMix()
    {
        var (registry, run) = await RegistryWithRunAsync(CreateRegistryAsync);
        await using var _ = registry;
        var store = registry.Get<CheckpointStore>();
        var a = RandomFile(registry, "a.bin", 2 * CheckpointStore.ChunkBytes + 7, seed: 2);
        var b = RandomFile(registry, "b.bin", 3 * CheckpointStore.ChunkBytes + 99, seed: 3);
        var versions = new[] { await File.ReadAllBytesAsync(a), await File.ReadAllBytesAsync(b) };
        await store.SaveAsync(run, a);

        using var stop = new CancellationTokenSource();
        var saves = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) await store.SaveAsync(run, Interlocked.Increment(ref saves) % 2 == 0 ? a : b);
        });
        var reads = 0;
        try
        {
            // Reads while the writer replaces the checkpoint again and again: each one must be exactly a or exactly b. On a
            // loaded machine the writer may start late: the reads go on until it has replaced the checkpoint a few times.
            for (; reads < 12 || Volatile.Read(ref saves) < 3; reads++)
            {
                Assert.True(reads < 100_000 && !writer.IsCompleted, "The writer never replaced the checkpoint while the reader read.");
                using var copy = new MemoryStream();
                Assert.True(await store.DownloadAsync(run, copy));
                var bytes = copy.ToArray();
                Assert.True(bytes.AsSpan().SequenceEqual(versions[0]) || bytes.AsSpan().SequenceEqual(versions[1]),
                    $"read {reads} returned {bytes.Length:N0} bytes that are neither checkpoint");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public async Task ASaveByAWorkerThatNoLongerHoldsTheRunIsRolledBack()
    {
        var (registry, run) = await RegistryWithRunAsync(CreateRegistryAsync);
        await using var _ = registry;
        var store = registry.Get<CheckpointStore>();
        var catalog = registry.Get<RunCatalog>();
        var holder = new RunHolder("host-a/1/aaaa", "host-a/1", TimeSpan.FromSeconds(30));
        Assert.Equal(run, (await catalog.ClaimNextAsync(holder))!.Id);
        var first = RandomFile(registry, "first.bin", CheckpointStore.ChunkBytes + 1, seed: 4);
        Assert.NotNull(await store.SaveAsync(run, first, holder));

        // The lease ends and another worker takes the run: the first worker's late save must not replace the checkpoint.
        await catalog.UpdateAsync(run, r => { r.Status = RunStatus.Queued; r.LeaseExpiresUtc = null; });
        var other = new RunHolder("host-b/2/bbbb", "host-b/2", TimeSpan.FromSeconds(30));
        Assert.Equal(run, (await catalog.ClaimNextAsync(other))!.Id);
        var late = RandomFile(registry, "late.bin", 2 * CheckpointStore.ChunkBytes + 5, seed: 5);
        Assert.Null(await store.SaveAsync(run, late, holder));

        var header = (await store.FindAsync(run))!;
        Assert.Equal((new FileInfo(first).Length, 2), (header.Length, header.Chunks));
        using var copy = new MemoryStream();
        Assert.True(await store.DownloadAsync(run, copy));
        Assert.Equal(await File.ReadAllBytesAsync(first), copy.ToArray());
        Assert.NotNull(await store.SaveAsync(run, late, other));
        Assert.Equal(3, (await store.FindAsync(run))!.Chunks);
    }

    [Fact]
    public async Task ADamagedChunkIsCaughtAndTheLocalFileKept()
    {
        var (registry, run) = await RegistryWithRunAsync(CreateRegistryAsync);
        await using var _ = registry;
        var store = registry.Get<CheckpointStore>();
        var file = RandomFile(registry, "a.bin", 2 * CheckpointStore.ChunkBytes + 3, seed: 6);
        await store.SaveAsync(run, file);
        await using (var db = registry.OpenContext())
        {
            var chunk = await db.CheckpointChunks.SingleAsync(c => c.RunId == run && c.Sequence == 2);
            chunk.Data[100] ^= 0xFF;
            db.Entry(chunk).Property(c => c.Data).IsModified = true;
            await db.SaveChangesAsync();
        }
        var local = Path.Combine(registry.DataDirectory, "host", "checkpoint.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllBytesAsync(local, [9, 9, 9]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.FetchAsync(run, local));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Equal([9, 9, 9], await File.ReadAllBytesAsync(local));
        Assert.False(File.Exists(local + ".download"), "The damaged download was left behind.");
    }

    [Fact]
    public async Task PurgingTheRunsDatasetRemovesItsCheckpoint()
    {
        var (registry, run) = await RegistryWithRunAsync(CreateRegistryAsync);
        await using var _ = registry;
        var store = registry.Get<CheckpointStore>();
        await store.SaveAsync(run, RandomFile(registry, "a.bin", CheckpointStore.ChunkBytes + 10, seed: 7));
        var catalog = registry.Get<RunCatalog>();
        var record = await catalog.UpdateAsync(run, r => { r.Status = RunStatus.Completed; r.FinishedUtc = DateTime.UtcNow; });
        var datasets = registry.Get<DatasetCatalog>();

        var deletion = (await datasets.DescribePurgeAsync(record.DatasetId))!;
        Assert.Equal(1, deletion.RegistryCheckpoints);
        Assert.Contains("1 checkpoint in the registry", deletion.Describe(), StringComparison.Ordinal);
        Assert.True(await datasets.PurgeAsync(record.DatasetId));
        Assert.Null(await store.FindAsync(run));
        await using var db = registry.OpenContext();
        Assert.Equal(0, await db.CheckpointChunks.CountAsync(c => c.RunId == run));
    }
}

public sealed class SqliteCheckpointStoreTests : CheckpointStoreTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCheckpointStoreTests(PostgresServer server) : CheckpointStoreTests
{
    protected override Task<TestRegistry> CreateRegistryAsync() => TestRegistry.CreateAsync(server);
}
