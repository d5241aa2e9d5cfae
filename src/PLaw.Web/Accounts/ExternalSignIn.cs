using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>
/// Optional OpenID Connect sign-in (<c>PLaw:Auth:OpenIdConnect</c>). The identity provider proves who someone is; the
/// dashboard keeps its own user, linked to the external login on the first sign-in, with the role named by the provider's
/// <see cref="OpenIdConnectSettings.RoleClaim"/> or else <see cref="OpenIdConnectSettings.DefaultRole"/>. Later role
/// changes are made in the dashboard (Users page, <c>plaw users set-role</c>).
/// </summary>
public static class ExternalSignIn
{
    public const string StartPath = "/account/external";
    public const string CallbackPath = "/account/external/callback";

    public static void AddDashboardOpenIdConnect(this AuthenticationBuilder authentication, OpenIdConnectSettings settings)
    {
        if (Roles.Parse(settings.DefaultRole) is null)
            throw new InvalidOperationException($"PLaw:Auth:OpenIdConnect:DefaultRole is '{settings.DefaultRole}'; expected one of {string.Join(", ", Roles.All)}.");
        authentication.AddOpenIdConnect(AuthSchemes.OpenIdConnect, settings.DisplayName, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.MapInboundClaims = false;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.CallbackPath = "/signin-oidc";
            o.Scope.Clear();
            foreach (var scope in new[] { "openid", "profile", "email" }) o.Scope.Add(scope);
        });
    }

    public static void MapExternalSignIn(this IEndpointRouteBuilder app)
    {
        // A POST with the antiforgery token: a link elsewhere cannot start a sign-in flow on someone's behalf.
        app.MapPost(StartPath, (HttpContext http, SignInManager<PLawUser> signIn, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var redirect = CallbackPath + QueryString.Create("returnUrl", AuthenticationServices.LocalUrl(returnUrl));
            var properties = signIn.ConfigureExternalAuthenticationProperties(AuthSchemes.OpenIdConnect, redirect);
            return Results.Challenge(properties, [AuthSchemes.OpenIdConnect]);
        }).AllowAnonymous();

        app.MapGet(CallbackPath, CallbackAsync).AllowAnonymous();
    }

    private static async Task<IResult> CallbackAsync(HttpContext http, SignInManager<PLawUser> signIn, DashboardAuth auth, AuditLog audit,
        ILoggerFactory loggers, string? returnUrl)
    {
        var target = AuthenticationServices.LocalUrl(returnUrl);
        var failed = AuthenticationServices.SignInFailedUrl(target);
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null) return Results.Redirect(failed);
        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
        var users = signIn.UserManager;
        if (result.Succeeded)
        {
            var linked = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
            await audit.WriteAsync(linked?.UserName ?? info.ProviderKey, AuditActions.SignedIn, AuditSubjects.User, null,
                $"{auth.Options.OpenIdConnect.DisplayName}, from {http.Connection.RemoteIpAddress}");
            return Results.Redirect(target);
        }
        if (result.IsLockedOut || result.IsNotAllowed)
        {
            await audit.WriteAsync(info.ProviderKey, AuditActions.SignInFailed, AuditSubjects.User, null, "external login locked out");
            return Results.Redirect(failed);
        }

        // First sign-in: a local user linked to this login.
        var settings = auth.Options.OpenIdConnect;
        var name = UserNameOf(info.Principal) ?? $"{info.LoginProvider}-{info.ProviderKey}";
        var role = info.Principal.FindAll(settings.RoleClaim).Select(c => Roles.Parse(c.Value)).OfType<string>()
            .OrderByDescending(r => Roles.All.ToList().IndexOf(r)).FirstOrDefault() ?? Roles.Parse(settings.DefaultRole)!;
        var user = new PLawUser { UserName = name, Email = info.Principal.FindFirstValue("email"), CreatedUtc = DateTime.UtcNow };
        var created = await users.CreateAsync(user);
        if (created.Succeeded) created = await users.AddToRolesAsync(user, Roles.Implied(role));
        if (created.Succeeded) created = await users.AddLoginAsync(user, info);
        if (!created.Succeeded)
        {
            loggers.CreateLogger(typeof(ExternalSignIn)).LogWarning("Could not create a user for external login {Provider}/{Key} as {Name}: {Errors}",
                info.LoginProvider, info.ProviderKey, name, string.Join("; ", created.Errors.Select(e => e.Description)));
            await audit.WriteAsync(name, AuditActions.SignInFailed, AuditSubjects.User, null,
                $"first {settings.DisplayName} sign-in could not create the user: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            return Results.Redirect(failed);
        }
        await audit.WriteAsync("oidc", AuditActions.UserAdded, AuditSubjects.User, null, $"{name} as {role}, linked to {settings.DisplayName}");
        await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
        await audit.WriteAsync(name, AuditActions.SignedIn, AuditSubjects.User, null, $"{settings.DisplayName}, from {http.Connection.RemoteIpAddress}");
        return Results.Redirect(target);
    }

    private static string? UserNameOf(ClaimsPrincipal principal) =>
        new[] { "preferred_username", "email", "name", ClaimTypes.Email, ClaimTypes.Name }
            .Select(principal.FindFirstValue).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
