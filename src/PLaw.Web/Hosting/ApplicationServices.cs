using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using PLaw.Registry;
using PLaw.Worker.Queue;
using PLaw.Web.Imports;
using PLaw.Web.Runs;
using MudBlazor.Services;

namespace PLaw.Web.Hosting;

public static class ApplicationServices
{
    /// <summary>Everything the dashboard registers, in one place.</summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PLawOptions.Section);
        builder.Services.AddOptions<PLawOptions>()
            .Bind(section)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "PLaw:DataDirectory must name a folder.")
            .ValidateOnStart();
        var options = section.Get<PLawOptions>() ?? new PLawOptions();

        builder.Services.AddPLawRegistry(PLaw.Registry.Storage.RegistryConnection.Of(options));
        // Circuits and antiforgery tokens stay valid across restarts.
        builder.Services.AddDataProtection()
            .SetApplicationName("PLawDashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectory, "keys")));
        builder.Services.AddSingleton<ImportJobs>();
        if (options.RunWorker)
        {
            builder.Services.AddSingleton<RunQueueWorker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RunQueueWorker>());
        }
        builder.Services.AddSingleton<RunActions>();
        builder.Services.AddSingleton<PLaw.Web.Laws.LawRuns>();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<HubWatches>();
        builder.Services.AddHostedService<RunsHubBridge>();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<PLaw.Web.Components.Theme.ThemeState>();
        builder.Services.AddHealthChecks().AddCheck<RegistryHealthCheck>("registry");
    }

    /// <summary>Migrates the registry and seeds the demo dataset before the first request is served.</summary>
    public static async Task PrepareRegistryAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PLawOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILogger<PLawOptions>>();
        var registry = app.Services.GetRequiredService<PLaw.Registry.Storage.RegistryConnection>();
        logger.LogInformation("Registry {Registry} ({Provider}); path imports read under {ImportRoot}",
            registry.Provider == PLaw.Registry.Storage.RegistryProvider.Postgres ? registry.Display : options.RegistryPath, registry.Provider,
            options.ResolvedImportRoot);
        Directory.CreateDirectory(options.ResolvedImportRoot);
        PLaw.Web.Imports.UploadFolder.Clean(options, logger);
        await RegistryMigrator.MigrateAsync(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RegistryDbContext>>());
        if (options.SeedDemoData)
            await app.Services.GetRequiredService<PLaw.Registry.Demo.DemoDataset>().SeedIfEmptyAsync();
    }
}
