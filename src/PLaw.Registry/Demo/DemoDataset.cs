using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PLaw.Data.Synthetic;
using PLaw.Entropy;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Storage;

namespace PLaw.Registry.Demo;

/// <summary>
/// The built-in demo: sequences from a first-order Markov chain with Dirichlet transition rows (the chain the P-Law theorem
/// assumes), stored with its entropy table so a fresh dashboard has something real to show.
/// </summary>
public sealed class DemoDataset(IDbContextFactory<RegistryDbContext> factory, DatasetCatalog catalog, EntropyReports entropy, ILogger<DemoDataset> logger)
{
    public const string Name = "demo-markov";

    public static MarkovOptions Options { get; } = new(Concentration: 4);

    /// <summary>
    /// Stores the demo when the registry holds no dataset at all (a deleted one counts: whoever deleted it used this
    /// registry); returns the demo's id, or null when other data is there.
    /// </summary>
    public async Task<int?> SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
            if (await db.Datasets.IgnoreQueryFilters().AnyAsync(ct))
                return null;
        return await StoreAsync(ct);
    }

    /// <summary>
    /// The demo dataset's id, restoring it when it was deleted or storing it again when it was purged (so the demo study is
    /// always reachable).
    /// </summary>
    public async Task<int> EnsureAsync(CancellationToken ct = default)
    {
        if (await catalog.FindByNameAsync(Name, ct) is { } live) return live.Id;
        await using (var db = await factory.CreateDbContextAsync(ct))
            if (await db.Datasets.IgnoreQueryFilters().Where(d => d.Name == Name).Select(d => (int?)d.Id).FirstOrDefaultAsync(ct) is { } deleted
                && await catalog.RestoreAsync(deleted, ct))
                return deleted;
        return await StoreAsync(ct);
    }

    private async Task<int> StoreAsync(CancellationToken ct)
    {
        var demo = MarkovSequenceGenerator.Generate(Options);
        var statistics = new { generator = "markov", entropyRateBits = demo.EntropyRateBits };
        var record = await catalog.StoreAsync(Name, "synthetic", "synthetic", RegistryJson.Serialize(Options),
            RegistryJson.Serialize(statistics), demo.Sequences, ct);
        await entropy.GetOrComputeAsync(record.Id, EntropyTableOptions.Default, ct: ct);
        logger.LogInformation("Seeded demo dataset {DatasetId} (entropy rate {EntropyRate:F3} bits)", record.Id, demo.EntropyRateBits);
        return record.Id;
    }
}
