using Microsoft.AspNetCore.Authorization;
using PLaw.Registry.Accounts;
using PLaw.Web.Hosting;

namespace PLaw.Web.Accounts;

/// <summary>
/// <c>POST /api/*</c>: a write- or worker-scoped token of a Member (or admin). A signed-in browser's cookie is not enough:
/// another site could make the browser send it (CSRF). In Local mode (loopback only) the single user may, but not from a
/// page of another origin.
/// </summary>
public sealed class ApiWriteRequirement : IAuthorizationRequirement
{
    public const string Policy = "ApiWrite";
}

public sealed class ApiWriteHandler(IConfiguration configuration) : AuthorizationHandler<ApiWriteRequirement>
{
    private readonly IReadOnlySet<string> allowedOrigins =
        (configuration.GetSection(HubOrigins.Section).Get<string[]>() ?? []).Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiWriteRequirement requirement)
    {
        var user = context.User;
        switch (user.Identity?.AuthenticationType)
        {
            case AuthSchemes.Local when context.Resource is HttpContext http:
                var origin = http.Request.Headers.Origin.ToString();
                if (origin.Length == 0 || HubOrigins.IsAllowed(origin, http.Request.Host, allowedOrigins)) context.Succeed(requirement);
                break;
            case AuthSchemes.Token:
                var scope = user.FindFirst(AuthSchemes.ScopeClaim)?.Value;
                if (scope is "write" or "worker" && user.IsInRole(Roles.Member)) context.Succeed(requirement);
                break;
        }
        return Task.CompletedTask;
    }
}
