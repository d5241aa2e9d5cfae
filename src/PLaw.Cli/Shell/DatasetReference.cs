using Microsoft.Extensions.DependencyInjection;
using PLaw.Registry.Datasets;

namespace PLaw.Cli.Shell;

internal static class DatasetReference
{
    /// <summary>A dataset by id or by name.</summary>
    public static async Task<DatasetRecord> ResolveAsync(IServiceProvider services, string reference, CancellationToken ct)
    {
        var catalog = services.GetRequiredService<DatasetCatalog>();
        var record = int.TryParse(reference, out var id) ? await catalog.FindAsync(id, ct) : await catalog.FindByNameAsync(reference, ct);
        return record ?? throw new KeyNotFoundException($"No dataset '{reference}' in the registry (plaw datasets lists them).");
    }
}
