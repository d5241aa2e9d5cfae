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
        // After the exception handler: an error page, re-executed through here, gets the headers too.
        app.UseSecurityHeaders();
        app.UseHubOriginCheck(RunsHub.Path, "/_blazor");
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapHealthChecks("/healthz");
        app.MapHub<RunsHub>(RunsHub.Path);
        app.MapRunsApi();
        // Blazor adds its own "frame-ancestors" policy to pages with interactive components; it says what SecurityHeaders says
        // (a browser enforces every policy it is sent) and keeps the circuit's WebSocket compression safe to use.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");
    }
}
