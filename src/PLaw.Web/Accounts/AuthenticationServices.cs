using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using PLaw.Registry.Accounts;
using PLaw.Web.Runs;

namespace PLaw.Web.Accounts;

/// <summary>Authentication (Local, token, Identity cookie, optional OpenID Connect), the role policies and the sign-in rate limit.</summary>
public static class AuthenticationServices
{
    public const string SignInPath = "/account/signin";
    public const string SignOutPath = "/account/signout";
    public const string DeniedPath = "/account/denied";
    public const string SignInRateLimit = "signin";

    public static void AddDashboardAuthentication(this WebApplicationBuilder builder, DashboardAuth auth)
    {
        var services = builder.Services;
        services.AddSingleton(auth);
        var identity = services.AddPLawAccounts();
        identity.AddSignInManager();

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Dashboard;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(AuthSchemes.Dashboard, null, o => o.ForwardDefaultSelector = http =>
                auth.IsLocal ? AuthSchemes.Local
                : TokenAuthenticationHandler.Secret(http.Request) is not null ? AuthSchemes.Token
                : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, LocalAuthenticationHandler>(AuthSchemes.Local, null)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(AuthSchemes.Token, null);
        authentication.AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "plaw.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = SignInPath;
            o.LogoutPath = SignOutPath;
            o.AccessDeniedPath = DeniedPath;
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            // Pages redirect to the sign-in page; API and hub clients get a status code they can act on.
            o.Events.OnRedirectToLogin = context =>
            {
                if (IsMachineEndpoint(context.Request)) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else context.Response.Redirect(SignInPath + QueryString.Create("returnUrl", LocalPath(context.Request)));
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = context =>
            {
                if (IsMachineEndpoint(context.Request)) context.Response.StatusCode = StatusCodes.Status403Forbidden;
                else context.Response.Redirect(DeniedPath + QueryString.Create("returnUrl", LocalPath(context.Request)));
                return Task.CompletedTask;
            };
        });
        // A changed role, a lock or a removal reaches a signed-in browser within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        if (auth.Options.OpenIdConnect.Configured) authentication.AddDashboardOpenIdConnect(auth.Options.OpenIdConnect);

        services.AddTransient<IClaimsTransformation, ImpliedRoles>();
        services.AddSingleton<IAuthorizationHandler, ApiWriteHandler>();
        var viewer = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Viewer).Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, viewer)
            .AddPolicy(Roles.Member, p => p.RequireAuthenticatedUser().RequireRole(Roles.Member))
            .AddPolicy(Roles.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(ApiWriteRequirement.Policy, p => p.RequireAuthenticatedUser().AddRequirements(new ApiWriteRequirement()))
            .SetFallbackPolicy(viewer);
        services.AddCascadingAuthenticationState();
        if (!auth.IsLocal) services.AddScoped<AuthenticationStateProvider, RevalidatingAccountState>();
        services.AddScoped<Caller>();

        var permit = Math.Max(1, auth.Options.SignInPermitPerMinute);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    $"Too many sign-in attempts from this address ({permit} a minute); wait a minute and try again.", ct);
            };
        });
    }

    /// <summary>Requests answered with 401/403 instead of a redirect to a page: the API, the hubs, Blazor's circuit.</summary>
    public static bool IsMachineEndpoint(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments(RunsHub.Path)
        || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor");

    private static string LocalPath(HttpRequest request) => request.PathBase + request.Path + request.QueryString;

    /// <summary>Back to the sign-in page with its error shown, keeping where to go after it.</summary>
    public static string SignInFailedUrl(string returnUrl) => $"{SignInPath}?error=1&returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary><paramref name="url"/> when it is a path on this site, else "/" (no open redirect to another site).</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains('\r') && !url.Contains('\n')
            ? url : "/";
}
