using PLaw.Web.Components;

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
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
