using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>
/// Before the first request in SignIn mode: creates <c>PLaw:Auth:BootstrapAdmin</c> when the registry has no admin, then
/// refuses to start (returns the reason) if there is still none, since nobody could sign in to manage the dashboard.
/// </summary>
public static class BootstrapAdmin
{
    public const string Actor = "bootstrap";

    public static async Task<string?> PrepareAccountsAsync(this WebApplication app)
    {
        var auth = app.Services.GetRequiredService<DashboardAuth>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapAdmin));
        if (auth.IsLocal)
        {
            logger.LogInformation("Local mode: loopback only, no sign-in; every request acts as the single user '{User}' (admin)", AuthSchemes.LocalUserName);
            return null;
        }
        var accounts = app.Services.GetRequiredService<UserAccounts>();
        if (await accounts.AnyAdminAsync()) return null;
        var bootstrap = auth.Options.BootstrapAdmin;
        if (!bootstrap.Configured) return NoAdmin;

        string password;
        try
        {
            password = Password(bootstrap);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return $"PLaw:Auth:BootstrapAdmin: {e.Message}";
        }
        try
        {
            var name = bootstrap.Name!.Trim();
            await accounts.CreateAsync(name, Roles.Admin, password);
            await app.Services.GetRequiredService<AuditLog>().WriteAsync(Actor, AuditActions.UserAdded, AuditSubjects.User, null,
                $"{name} as {Roles.Admin} (PLaw:Auth:BootstrapAdmin)");
            logger.LogWarning("Created the admin {Name} from PLaw:Auth:BootstrapAdmin (the registry had none)", name);
            return null;
        }
        catch (UserAccountException e)
        {
            return $"PLaw:Auth:BootstrapAdmin could not create the admin '{bootstrap.Name}': {e.Message}";
        }
    }

    private static string Password(BootstrapAdminOptions bootstrap)
    {
        if (!string.IsNullOrEmpty(bootstrap.Password)) return bootstrap.Password;
        if (!string.IsNullOrEmpty(bootstrap.PasswordFile))
        {
            if (!File.Exists(bootstrap.PasswordFile))
                throw new InvalidOperationException($"PasswordFile {bootstrap.PasswordFile} does not exist (mount the secret there, or set Password).");
            return File.ReadAllText(bootstrap.PasswordFile).TrimEnd('\r', '\n');
        }
        throw new InvalidOperationException("Name is set but neither Password nor PasswordFile is (PLaw__Auth__BootstrapAdmin__PasswordFile=/run/secrets/…).");
    }

    public const string NoAdmin =
        "Sign-in is required (the dashboard listens on an address other machines can reach), and the registry has no admin account, " +
        "so nobody could sign in. Create one, then start again:\n" +
        "  - with the CLI, against the same registry:  plaw users add NAME --role admin\n" +
        "  - or from configuration, created on the first start:  PLaw__Auth__BootstrapAdmin__Name=NAME and " +
        "PLaw__Auth__BootstrapAdmin__PasswordFile=/path/to/a/file/holding/the/password (or PLaw__Auth__BootstrapAdmin__Password)\n" +
        "To use the dashboard alone on this machine, listen on loopback only (the default, http://127.0.0.1:5080): that is Local mode, with no sign-in.";
}
