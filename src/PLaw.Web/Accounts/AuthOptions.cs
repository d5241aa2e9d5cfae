using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>How the dashboard decides who is calling: <c>PLaw:Auth:*</c> (environment <c>PLaw__Auth__…</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "PLaw:Auth";

    /// <summary>Auto (Local on loopback only, else SignIn), Local or SignIn.</summary>
    public AuthModeSetting Mode { get; set; } = AuthModeSetting.Auto;

    /// <summary>Sign-in attempts (<c>POST /account/signin</c>) one client address may make per minute; beyond it: 429.</summary>
    public int SignInPermitPerMinute { get; set; } = 10;

    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    public static AuthOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuthOptions>() ?? new AuthOptions();
}

public enum AuthModeSetting { Auto, Local, SignIn }

/// <summary>An admin created on start when the registry has none: for a first deployment (Docker) with nobody to run <c>plaw users add</c>.</summary>
public sealed class BootstrapAdminOptions
{
    public string? Name { get; set; }
    public string? Password { get; set; }
    /// <summary>A file holding the password (a Docker or Kubernetes secret); its trailing newline is not part of it.</summary>
    public string? PasswordFile { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Name);
}

/// <summary>An identity provider (Entra ID, Keycloak, Google …); configured when <see cref="Authority"/> and <see cref="ClientId"/> are set.</summary>
public sealed class OpenIdConnectSettings
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string DisplayName { get; set; } = "single sign-on";
    /// <summary>The claim whose values name dashboard roles (Viewer, Member, Admin) for a user signing in the first time.</summary>
    public string RoleClaim { get; set; } = "roles";
    public string DefaultRole { get; set; } = Roles.Viewer;

    public bool Configured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
