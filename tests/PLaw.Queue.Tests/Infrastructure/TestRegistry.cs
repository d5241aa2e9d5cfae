using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Data.Synthetic;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Storage;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>
/// A real, migrated registry with the services the dashboard registers: a SQLite file in a fresh temporary data directory,
/// or a fresh database on a real PostgreSQL server (<see cref="PostgresServer"/>) beside such a directory (for run
/// checkpoints). Each
/// <see cref="OpenServicesAsync"/> opens it again with services of their own (their own connection pool and feed), as
/// another process would.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly List<ServiceProvider> opened = [];

    private readonly PostgresServer? server;

    private TestRegistry(string directory, RegistryConnection connection, PostgresServer? server)
    {
        DataDirectory = directory;
        Connection = connection;
        this.server = server;
    }

    public string DataDirectory { get; }

    public RegistryConnection Connection { get; }

    public RegistryProvider Provider => Connection.Provider;

    /// <summary>The first services opened on the registry (the test's own).</summary>
    public ServiceProvider Services => opened[0];

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public RegistryDbContext OpenContext() => Get<IDbContextFactory<RegistryDbContext>>().CreateDbContext();

    /// <summary>The arguments that point <c>plaw</c> at this registry.</summary>
    public IReadOnlyList<string> CliArguments => Provider == RegistryProvider.Postgres
        ? ["--data-dir", DataDirectory, "--registry", Connection.ConnectionString]
        : ["--data-dir", DataDirectory];

    /// <summary>A registry on SQLite, or on a new database of <paramref name="postgres"/> when given.</summary>
    public static async Task<TestRegistry> CreateAsync(PostgresServer? postgres = null)
    {
        var directory = Directory.CreateTempSubdirectory("plaw-queue-test-").FullName;
        var connection = postgres is null
            ? RegistryConnection.SqliteFile(Path.Combine(directory, "registry.db"))
            : new RegistryConnection(RegistryProvider.Postgres, await postgres.CreateDatabaseAsync());
        var registry = new TestRegistry(directory, connection, postgres);
        await RegistryMigrator.MigrateAsync(registry.OpenServices().GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return registry;
    }

    /// <summary>Services of their own on the same registry: another "process" for races within the test.</summary>
    public ServiceProvider OpenServices()
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Connection)
            .BuildServiceProvider();
        lock (opened) opened.Add(services);
        return services;
    }

    /// <summary>A small synthetic dataset (by default 60 users over 40 items) stored in the registry; returns its id.</summary>
    public async Task<int> StoreSmallDatasetAsync(string name = "small", int users = 60, int items = 40)
    {
        var demo = MarkovSequenceGenerator.Generate(new MarkovOptions(Users: users, Items: items, MinLength: 5, MaxLength: 20, Seed: 7));
        return (await Get<DatasetCatalog>().StoreAsync(name, "synthetic", "synthetic", "{}", "{}", demo.Sequences)).Id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var services in opened) await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (server is not null) await server.DropDatabaseAsync(Connection.ConnectionString);
        Directory.Delete(DataDirectory, recursive: true);
    }
}
