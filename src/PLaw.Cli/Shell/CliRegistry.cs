using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Registry;

namespace PLaw.Cli.Shell;

/// <summary>The same registry the dashboard uses, opened (and migrated) for one command.</summary>
internal static class CliRegistry
{
    public static async Task<ServiceProvider> OpenAsync(string? dataDirectory, CancellationToken ct)
    {
        var options = new PLawOptions();
        if (!string.IsNullOrWhiteSpace(dataDirectory)) options.DataDirectory = dataDirectory;
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(options.RegistryPath)
            .BuildServiceProvider();
        await RegistryMigrator.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>(), ct);
        return services;
    }
}
