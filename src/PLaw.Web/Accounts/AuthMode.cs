using System.Net;
using PLaw.Web.Hosting;

namespace PLaw.Web.Accounts;

public enum AuthMode { Local, SignIn }

/// <summary>The mode this process runs in, decided once before it starts (a singleton).</summary>
public sealed record DashboardAuth(AuthMode Mode, AuthOptions Options)
{
    public bool IsLocal => Mode == AuthMode.Local;

    /// <summary>
    /// Auto is Local when every address the dashboard will listen on is loopback, else SignIn. Local on an address other
    /// machines reach is refused: it would hand everyone on the network an admin. Returns the refusal's text, or null.
    /// </summary>
    public static (DashboardAuth? Auth, string? Refusal) Decide(IConfiguration configuration)
    {
        var options = AuthOptions.From(configuration);
        var addresses = ListeningAddresses.Configured(configuration);
        var open = addresses.Where(a => !IsLoopback(a)).ToList();
        switch (options.Mode)
        {
            case AuthModeSetting.Local when open.Count > 0:
                return (null,
                    $"PLaw:Auth:Mode is Local (no sign-in, everyone is an admin), but the dashboard would listen on {string.Join(", ", open)}, " +
                    "which other machines can reach. Listen on loopback only (the default, http://127.0.0.1:5080), or drop " +
                    "PLaw__Auth__Mode=Local to require sign-in.");
            case AuthModeSetting.Local:
                return (new DashboardAuth(AuthMode.Local, options), null);
            case AuthModeSetting.SignIn:
                return (new DashboardAuth(AuthMode.SignIn, options), null);
            default:
                return (new DashboardAuth(open.Count == 0 ? AuthMode.Local : AuthMode.SignIn, options), null);
        }
    }

    /// <summary>127.0.0.0/8, ::1 and localhost; a wildcard (*, +, 0.0.0.0, [::]) or any other name is not.</summary>
    public static bool IsLoopback(string url)
    {
        // Kestrel accepts wildcard hosts that System.Uri does not parse.
        var host = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        host = host.Split('/')[0];
        if (host.StartsWith('['))
            host = host[1..Math.Max(1, host.IndexOf(']'))];
        else if (host.LastIndexOf(':') is var colon and > 0)
            host = host[..colon];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
