using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Registry;
using PLaw.Registry.Accounts;

namespace PLaw.Registry.Tests;

/// <summary>A real registry file in a fresh temporary folder, migrated, with the same services the dashboard registers (accounts included).</summary>
public sealed class TemporaryRegistry : IAsyncDisposable
{
    private TemporaryRegistry(string directory, ServiceProvider services)
    {
        Directory = directory;
        Services = services;
    }

    public string Directory { get; }
    public ServiceProvider Services { get; }
    public string RegistryPath => Path.Combine(Directory, "registry.db");

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public RegistryDbContext OpenContext() => Get<IDbContextFactory<RegistryDbContext>>().CreateDbContext();

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public static async Task<TemporaryRegistry> CreateAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("plaw-registry-test-").FullName;
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Path.Combine(directory, "registry.db"));
        collection.AddPLawAccounts();
        var services = collection.BuildServiceProvider();
        await RegistryMigrator.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        return new TemporaryRegistry(directory, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
