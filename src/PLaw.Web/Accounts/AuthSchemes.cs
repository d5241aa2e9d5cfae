namespace PLaw.Web.Accounts;

/// <summary>The authentication schemes the dashboard registers.</summary>
public static class AuthSchemes
{
    /// <summary>The default: forwards to <see cref="Local"/>, <see cref="Token"/> or Identity's cookie, per mode and request.</summary>
    public const string Dashboard = "PLaw";

    /// <summary>Local mode: every request is the single user <see cref="LocalUserName"/>, an admin.</summary>
    public const string Local = "Local";

    /// <summary>A personal API token: <c>Authorization: Bearer plaw_…</c> (or <c>?access_token=</c> on the hub).</summary>
    public const string Token = "Token";

    public const string OpenIdConnect = "oidc";

    public const string LocalUserName = "local";

    /// <summary>Claim naming a token principal's scope (read, write, worker).</summary>
    public const string ScopeClaim = "plaw:scope";

    /// <summary>Claim holding a token principal's token id.</summary>
    public const string TokenIdClaim = "plaw:token";
}
