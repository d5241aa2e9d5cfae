using PLaw.Web.Accounts;

namespace PLaw.Web.Api;

/// <summary><c>GET /api/whoami</c>: who the request is, with which role, in which mode, by which means (the CLI's <c>plaw login</c> checks its token with it).</summary>
public static class WhoAmIApi
{
    public static void MapWhoAmI(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/whoami", (HttpContext http, DashboardAuth auth) =>
        {
            var user = http.User;
            var scheme = user.Identity?.AuthenticationType switch
            {
                AuthSchemes.Local => "local",
                AuthSchemes.Token => "token",
                _ => "cookie",
            };
            return Results.Json(new
            {
                name = user.Identity?.Name,
                role = PrincipalRoles.Highest(user),
                mode = auth.IsLocal ? "local" : "signin",
                scheme,
                scope = user.FindFirst(AuthSchemes.ScopeClaim)?.Value,
            });
        }).RequireAuthorization(PLaw.Registry.Accounts.Roles.Viewer);
}
