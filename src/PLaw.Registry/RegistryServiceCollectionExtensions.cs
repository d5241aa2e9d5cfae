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
    /// <summary>The registry (SQLite file at <paramref name="registryPath"/>) and the services that read and write it.</summary>
    public static IServiceCollection AddPLawRegistry(this IServiceCollection services, string registryPath) =>
        services.AddPLawRegistry(RegistryConnection.SqliteFile(registryPath));

    /// <summary>The registry (SQLite or PostgreSQL) and the services that read and write it.</summary>
    public static IServiceCollection AddPLawRegistry(this IServiceCollection services, RegistryConnection connection)
    {
        services.AddSingleton(connection);
        services.AddDbContextFactory<RegistryDbContext>(connection.Configure);
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<EntropyReports>();
        services.AddSingleton<DemoDataset>();
        services.AddSingleton<DemoStudy>();
        services.AddSingleton<RunFeed>();
        services.AddSingleton<RunCatalog>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<EntropySweeps>();
        services.AddSingleton<EntropySweepJobs>();
        services.AddSingleton<Workers.WorkerRegistry>();
        services.AddSingleton<Checkpoints.CheckpointStore>();
        services.AddSingleton<Checkpoints.CheckpointLocator>();
        services.AddSingleton<Challenges.ChallengeResults>();
        services.AddSingleton<Challenges.RunChallenges>();
        services.AddSingleton<Challenges.StudyChallengeCatalog>();
        return services;
    }

    public static string ConnectionString(string registryPath) => RegistryConnection.SqliteFile(registryPath).ConnectionString;
}
