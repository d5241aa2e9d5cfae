using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Registry.Datasets;
using PLaw.Registry.Demo;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Registry.Sweeps;

namespace PLaw.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>The registry (SQLite file under the data directory) and the services that read and write it.</summary>
    public static IServiceCollection AddPLawRegistry(this IServiceCollection services, string registryPath)
    {
        services.AddDbContextFactory<RegistryDbContext>(options => options.UseSqlite(ConnectionString(registryPath)).AddInterceptors(new SqlitePragmas()));
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<EntropyReports>();
        services.AddSingleton<DemoDataset>();
        services.AddSingleton<DemoStudy>();
        services.AddSingleton<RunFeed>();
        services.AddSingleton<RunCatalog>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<EntropySweeps>();
        services.AddSingleton<EntropySweepJobs>();
        return services;
    }

    public static string ConnectionString(string registryPath) => $"Data Source={registryPath};Pooling=True;Default Timeout=30";
}
