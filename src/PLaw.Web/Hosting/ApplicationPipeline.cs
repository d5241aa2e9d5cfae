using PLaw.Web.Accounts;
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
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        // Anonymous: the files every page (the sign-in page included) loads, and the health probe. Everything else needs a
        // signed-in Viewer at least (the fallback policy, AuthenticationServices).
        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapHub<RunsHub>(RunsHub.Path);
        app.MapAccountEndpoints(app.Services.GetRequiredService<DashboardAuth>());
        app.MapWhoAmI();
        app.MapRunsApi();
        app.MapRunActionsApi();
        app.MapAuditApi();
        app.MapWorkerRegistryApi();
        // Blazor adds its own "frame-ancestors" policy to pages with interactive components; it says what SecurityHeaders says
        // (a browser enforces every policy it is sent) and keeps the circuit's WebSocket compression safe to use.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");
    }
}
