namespace PLaw.Web.Hosting;

/// <summary>
/// The Origin check on the SignalR endpoints (<c>/hubs/runs</c> and Blazor's own <c>/_blazor</c> circuit): a browser
/// page from another site must not open them with the user's network position. A request with no Origin (the CLI,
/// a notebook, curl) is not a browser's cross-site request and passes; a browser's Origin passes when it is this
/// dashboard's own (same host and port as the request) or listed in <c>PLaw:AllowedOrigins</c>.
/// </summary>
public static class HubOrigins
{
    public const string Section = "PLaw:AllowedOrigins";

    public static IApplicationBuilder UseHubOriginCheck(this WebApplication app, params string[] hubPaths)
    {
        var allowed = app.Configuration.GetSection(Section).Get<string[]>() ?? [];
        var allowedSet = allowed.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubOrigins));
        return app.Use(async (context, next) =>
        {
            if (hubPaths.Any(p => context.Request.Path.StartsWithSegments(p))
                && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
                && !IsAllowed(origin, context.Request.Host, allowedSet))
            {
                logger.LogWarning("Refused a {Path} request from origin {Origin} (host {Host})", context.Request.Path, origin, context.Request.Host);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync($"Origin {origin} may not connect to this dashboard; add it to {Section} to allow it.");
                return;
            }
            await next(context);
        });
    }

    internal static bool IsAllowed(string origin, HostString host, IReadOnlySet<string> allowed)
    {
        if (allowed.Contains(origin.TrimEnd('/'))) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        // Same site: the page that connects was served by this host and port. Without a port in Host, the origin's default
        // port (80 or 443: behind a TLS-terminating proxy the schemes differ) is the same one.
        return string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase)
               && (host.Port is { } port ? uri.Port == port : uri.IsDefaultPort);
    }
}
