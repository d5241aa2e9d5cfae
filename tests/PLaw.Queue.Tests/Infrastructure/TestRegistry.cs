using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Data.Synthetic;
using PLaw.Registry;
using PLaw.Registry.Datasets;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>
/// A real, migrated registry in a fresh temporary data directory, with the services the dashboard registers. Each
/// <see cref="OpenServicesAsync"/> opens it again with services of their own (their own connection pool and feed), as
/// another process would.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly List<ServiceProvider> opened = [];

    private TestRegistry(string directory) => DataDirectory = directory;

    public string DataDirectory { get; }

    public string RegistryPath => Path.Combine(DataDirectory, "registry.db");

    /// <summary>The first services opened on the registry (the test's own).</summary>
    public ServiceProvider Services => opened[0];

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public RegistryDbContext OpenContext() => Get<IDbContextFactory<RegistryDbContext>>().CreateDbContext();

    /// <summary>The arguments that point <c>plaw</c> at this registry.</summary>
    public IReadOnlyList<string> CliArguments => ["--data-dir", DataDirectory];

    public static async Task<TestRegistry> CreateAsync()
    {
        var registry = new TestRegistry(Directory.CreateTempSubdirectory("plaw-queue-test-").FullName);
        await RegistryMigrator.MigrateAsync(registry.OpenServices().GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return registry;
    }

    /// <summary>Services of their own on the same registry: another "process" for races within the test.</summary>
    public ServiceProvider OpenServices()
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(RegistryPath)
            .BuildServiceProvider();
        lock (opened) opened.Add(services);
        return services;
    }

    /// <summary>A small synthetic dataset (60 users over 40 items) stored in the registry; returns its id.</summary>
    public async Task<int> StoreSmallDatasetAsync(string name = "small")
    {
        var demo = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: 60, Items: 40, MinLength: 5, MaxLength: 20, Seed: 7));
        return (await Get<DatasetCatalog>().StoreAsync(name, "synthetic", "synthetic", "{}", "{}", demo.Sequences)).Id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var services in opened) await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
