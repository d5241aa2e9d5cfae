using PLaw.Web.Api;
using PLaw.Web.Components;
using PLaw.Web.Runs;

namespace PLaw.Web.Hosting;

public static class ApplicationPipeline
{
    public static void UseApplicationPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthChecks("/healthz");
        app.MapHub<RunsHub>(RunsHub.Path);
        app.MapRunsApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
