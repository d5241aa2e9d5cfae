using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>Local mode (loopback only): every request is the single user <c>local</c>, an admin; nothing to sign in to.</summary>
public sealed class LocalAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly ClaimsPrincipal User = new(PrincipalRoles.Identity(AuthSchemes.Local, AuthSchemes.LocalUserName, Roles.Admin,
        [new Claim(ClaimTypes.NameIdentifier, AuthSchemes.LocalUserName)]));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(User, AuthSchemes.Local)));
}
