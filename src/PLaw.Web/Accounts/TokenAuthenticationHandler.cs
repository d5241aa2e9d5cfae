using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PLaw.Registry.Accounts;
using PLaw.Web.Runs;

namespace PLaw.Web.Accounts;

/// <summary>
/// Personal API tokens: <c>Authorization: Bearer plaw_…</c> on <c>/api/*</c> and the hub, or <c>?access_token=plaw_…</c> on
/// the hub (a browser's WebSocket cannot send headers). The principal is the token's owner with the owner's role, capped at
/// Viewer for a read-scoped token.
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>
    /// The token a request to the API or the hub carries, or null. Pages never take a token: a leaked API token must not open
    /// the dashboard's pages and circuit, which act with the owner's full role.
    /// </summary>
    public static string? Secret(HttpRequest request)
    {
        var hub = request.Path.StartsWithSegments(RunsHub.Path);
        if (!hub && !request.Path.StartsWithSegments("/api")) return null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (hub && request.Query["access_token"].ToString() is { Length: > 0 } query) return query;
        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Secret(Request) is not { } secret) return AuthenticateResult.NoResult();
        var token = await tokens.ValidateAsync(secret, Context.RequestAborted);
        if (token is null) return AuthenticateResult.Fail("The API token is unknown, revoked or expired, or its user is locked out.");
        var role = token.Scope == TokenScope.Read ? Roles.Viewer : token.Role;
        var identity = PrincipalRoles.Identity(AuthSchemes.Token, token.UserName, role,
        [
            new Claim(ClaimTypes.NameIdentifier, token.UserId),
            new Claim(AuthSchemes.ScopeClaim, token.Scope.ToString().ToLowerInvariant()),
            new Claim(AuthSchemes.TokenIdClaim, token.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthSchemes.Token));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
