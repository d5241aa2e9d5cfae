using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>
/// <c>POST /account/signin</c> (the sign-in page's form: antiforgery-checked, rate-limited per client address, Identity's
/// lockout after repeated failures) and <c>POST /account/signout</c>. Both answer with a redirect: a browser posts them.
/// </summary>
public static class AccountEndpoints
{
    public const string WrongCredentials = "Wrong user name or password, or the account is locked.";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app, DashboardAuth auth)
    {
        // Ahead of the sign-in page's own endpoint (a Razor component page accepts POSTs too).
        app.MapPost(AuthenticationServices.SignInPath, SignInAsync).AllowAnonymous().RequireRateLimiting(AuthenticationServices.SignInRateLimit)
            .DisableAntiforgery().WithOrder(-1);
        app.MapPost(AuthenticationServices.SignOutPath, SignOutAsync).AllowAnonymous().WithOrder(-1);
        if (auth.Options.OpenIdConnect.Configured) app.MapExternalSignIn();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, DashboardAuth auth, SignInManager<PLawUser> signIn, AuditLog audit,
        Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery,
        [FromForm(Name = "name")] string? name, [FromForm(Name = "password")] string? password, [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        // Checked here, after the rate limiter has counted the attempt: a bad token is not a free try.
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.BadRequest("The sign-in form expired or came from another site; reload the sign-in page and try again.");
        var target = AuthenticationServices.LocalUrl(returnUrl);
        if (auth.IsLocal) return Results.Redirect(target);
        name = (name ?? "").Trim();
        var from = $"from {http.Connection.RemoteIpAddress}";
        if (name.Length > 0 && !string.IsNullOrEmpty(password))
        {
            var result = await signIn.PasswordSignInAsync(name, password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                await audit.WriteAsync(name, AuditActions.SignedIn, AuditSubjects.User, null, from);
                return Results.Redirect(target);
            }
            await audit.WriteAsync(Truncate(name), AuditActions.SignInFailed, AuditSubjects.User, null,
                result.IsLockedOut ? $"{from}; the account is locked out" : from);
        }
        return Results.Redirect(AuthenticationServices.SignInFailedUrl(target));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<PLawUser> signIn, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest("The sign-out form expired; reload the page and try again.");
        if (http.User.Identity?.AuthenticationType is not AuthSchemes.Local) await signIn.SignOutAsync();
        return Results.Redirect(AuthenticationServices.SignInPath);
    }

    /// <summary>A name someone typed, bounded before it is stored in the audit log.</summary>
    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
