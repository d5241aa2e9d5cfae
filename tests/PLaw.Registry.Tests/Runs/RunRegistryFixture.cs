using PLaw.Data.Synthetic;
using PLaw.Registry.Datasets;

namespace PLaw.Registry.Tests.Runs;

internal static class RunRegistryData
{
    /// <summary>A small synthetic dataset stored in the registry; returns its id.</summary>
    public static async Task<int> StoreSmallDatasetAsync(TemporaryRegistry registry, string name = "small")
    {
        var demo = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 60, Items: 40, MinLength: 5, MaxLength: 20, Seed: 7));
        var record = await registry.Get<DatasetCatalog>().StoreAsync(name, "synthetic", "synthetic", "{}", "{}", demo.Sequences);
        return record.Id;
    }
}
