using System.Security.Cryptography;

namespace PLaw.Web.Hosting;

/// <summary>
/// Security headers on every response, pages, static files, <c>/api</c> and errors alike. The Content-Security-Policy is
/// what Blazor Server, MudBlazor and ECharts run under: scripts only from this origin (plus the one inline import map,
/// which carries this request's nonce), inline styles (MudBlazor and ECharts set style attributes), the circuit's
/// WebSocket to this origin, and no framing by any other page.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "plaw-csp-nonce";

    /// <summary>This request's script nonce, for the inline <c>&lt;script type="importmap"&gt;</c> App.razor renders.</summary>
    public static string Nonce(HttpContext context) =>
        context.Items[NonceKey] as string ?? throw new InvalidOperationException("UseSecurityHeaders must run before pages render.");

    /// <summary>
    /// Configuration key for more script sources, space separated, appended to <c>script-src</c>: a deployment that injects
    /// a script of its own names its hash here (the browser tests add axe-core's, which they inject to check accessibility).
    /// </summary>
    public const string ExtraScriptSourcesKey = "PLaw:ExtraScriptSources";

    public static string Policy(string nonce, string extraScriptSources = "") =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'{(extraScriptSources.Length > 0 ? " " + extraScriptSources : "")}; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var extra = (app.ApplicationServices.GetRequiredService<IConfiguration>()[ExtraScriptSourcesKey] ?? "").Trim();
        if (extra.Contains(';') || extra.Contains(',') || extra.Contains('\n'))
            throw new InvalidOperationException($"{ExtraScriptSourcesKey} lists CSP sources separated by spaces ('sha256-…' or https://host); found '{extra}'.");
        return app.Use(async (context, next) =>
        {
            // Hex: valid in a CSP nonce, and nothing in it an HTML attribute encoder rewrites (base64's '+' became "&#x2B;").
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = Policy(nonce, extra);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            await next(context);
        });
    }
}
