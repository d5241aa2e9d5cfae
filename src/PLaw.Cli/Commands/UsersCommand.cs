using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Cli.Shell;
using PLaw.Data.Import;
using PLaw.Registry.Accounts;
using PLaw.Registry.Storage;
using Spectre.Console;

namespace PLaw.Cli.Commands;

/// <summary>
/// <c>plaw users add|list|set-role|remove|lock|unlock|password</c>: the dashboard's user accounts, straight in the registry
/// (how the first admin is made). Whoever can write the registry file is trusted; each change is audited as <c>cli:&lt;user&gt;</c>.
/// </summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Manage the dashboard's user accounts (roles: viewer, member, admin).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetRole());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Lock(true));
        command.Subcommands.Add(Lock(false));
        command.Subcommands.Add(Password());
        return command;
    }

    private static Argument<string> Name() => new("name") { Description = "User name." };

    private static Option<string> RoleOption() => new("--role") { Description = "viewer | member | admin", Required = true };

    private static string ParseRole(string text, string flag) =>
        Roles.Parse(text) ?? throw new ArgumentException($"{flag}: '{EchoedText.Of(text)}' is not a role; expected viewer, member or admin.");

    private static Command Add()
    {
        var name = Name();
        var role = RoleOption();
        var password = new PasswordInput();
        var command = new Command("add", "Add a user. Without --password-file or --password-stdin a strong password is generated and printed once.") { name, role };
        password.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var parsed = ParseRole(result.GetValue(role)!, "--role");
            var (secret, generated) = password.Read(result);
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var user = await services.GetRequiredService<UserAccounts>().CreateAsync(result.GetValue(name)!, parsed, secret, ct);
            await CliRegistry.AuditAsync(services, AuditActions.UserAdded, AuditSubjects.User, null, $"added {user.UserName} as {parsed}");
            Console.WriteLine($"user {EchoedText.Of(user.UserName!)} added as {parsed}");
            if (generated) Console.WriteLine($"password (shown once): {secret}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the users with their roles.") { CommonOptions.Json };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var users = await services.GetRequiredService<UserAccounts>().ListAsync(ct);
            if (result.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(RegistryJson.Serialize(users.Select(u => new { name = u.UserName, role = u.Role, u.CreatedUtc, u.LockedOut })));
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "role", "created (UTC)", "state");
            foreach (var u in users)
                table.AddRow(Markup.Escape(u.UserName), u.Role, u.CreatedUtc.ToString("yyyy-MM-dd HH:mm"), u.LockedOut ? "locked" : "active");
            CliProgress.Out.Write(table);
            return 0;
        });
        return command;
    }

    private static Command SetRole()
    {
        var name = Name();
        var role = new Argument<string>("role") { Description = "viewer | member | admin" };
        var command = new Command("set-role", "Change a user's role (the last admin cannot be demoted).") { name, role };
        command.SetAction(async (result, ct) =>
        {
            var parsed = ParseRole(result.GetValue(role)!, "role");
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            var accounts = services.GetRequiredService<UserAccounts>();
            var before = await accounts.RoleOfAsync(result.GetValue(name)!, ct);
            await accounts.SetRoleAsync(result.GetValue(name)!, parsed, ct);
            await CliRegistry.AuditAsync(services, AuditActions.UserRoleChanged, AuditSubjects.User, null,
                $"{result.GetValue(name)}: {before} → {parsed}");
            Console.WriteLine($"user {EchoedText.Of(result.GetValue(name)!)} is now {parsed}");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var name = Name();
        var command = new Command("remove", "Remove a user and revoke their tokens (the last admin cannot be removed).") { name };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            await services.GetRequiredService<UserAccounts>().RemoveAsync(result.GetValue(name)!, ct);
            await CliRegistry.AuditAsync(services, AuditActions.UserRemoved, AuditSubjects.User, null, $"removed {result.GetValue(name)}");
            Console.WriteLine($"user {EchoedText.Of(result.GetValue(name)!)} removed; their tokens are revoked");
            return 0;
        });
        return command;
    }

    private static Command Lock(bool locked)
    {
        var name = Name();
        var command = new Command(locked ? "lock" : "unlock", locked
            ? "Lock a user out: no sign-in, their tokens stop working (the last admin cannot be locked)."
            : "Let a locked-out user sign in again.") { name };
        command.SetAction(async (result, ct) =>
        {
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            await services.GetRequiredService<UserAccounts>().SetLockedAsync(result.GetValue(name)!, locked, ct);
            await CliRegistry.AuditAsync(services, locked ? AuditActions.UserLocked : AuditActions.UserUnlocked, AuditSubjects.User, null,
                $"{(locked ? "locked" : "unlocked")} {result.GetValue(name)}");
            Console.WriteLine($"user {EchoedText.Of(result.GetValue(name)!)} {(locked ? "locked" : "unlocked")}");
            return 0;
        });
        return command;
    }

    private static Command Password()
    {
        var name = Name();
        var password = new PasswordInput();
        var command = new Command("password", "Set a user's password (generated and printed once without --password-file or --password-stdin).") { name };
        password.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var (secret, generated) = password.Read(result);
            await using var services = await CliRegistry.OpenAsync(result.GetValue(CommonOptions.DataDirectory), ct);
            await services.GetRequiredService<UserAccounts>().SetPasswordAsync(result.GetValue(name)!, secret, ct);
            await CliRegistry.AuditAsync(services, AuditActions.PasswordReset, AuditSubjects.User, null, $"password of {result.GetValue(name)} set");
            Console.WriteLine($"password of {EchoedText.Of(result.GetValue(name)!)} set");
            if (generated) Console.WriteLine($"password (shown once): {secret}");
            return 0;
        });
        return command;
    }
}
