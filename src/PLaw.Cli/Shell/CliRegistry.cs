using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Registry;
using PLaw.Registry.Accounts;

namespace PLaw.Cli.Shell;

/// <summary>The same registry the dashboard uses, opened (and migrated) for one command, with its users, tokens and audit trail.</summary>
internal static class CliRegistry
{
    public static async Task<ServiceProvider> OpenAsync(string? dataDirectory, CancellationToken ct)
    {
        var options = new PLawOptions();
        if (!string.IsNullOrWhiteSpace(dataDirectory)) options.DataDirectory = dataDirectory;
        var collection = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(options.RegistryPath);
        collection.AddPLawAccounts();
        var services = collection.BuildServiceProvider();
        await RegistryMigrator.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>(), ct);
        return services;
    }

    /// <summary>Who the audit trail names for a change made here: whoever can open the registry file is trusted as its OS user.</summary>
    public static string Actor => $"cli:{Environment.UserName}";

    /// <summary>Appends to the audit trail once the change has been made (so even a cancelled command records what it did).</summary>
    public static Task AuditAsync(IServiceProvider services, string action, string subjectKind, int? subjectId, string detail) =>
        services.GetRequiredService<AuditLog>().WriteAsync(Actor, action, subjectKind, subjectId, detail, CancellationToken.None);
}
