using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PLaw.Registry.Accounts;

/// <summary>
/// Adds, lists and changes users through Identity's <see cref="UserManager{TUser}"/> (in a scope per call, so this can be a
/// singleton). A user holds its role and every role below it. The last admin who is not locked can be neither demoted,
/// locked nor removed, so the registry always keeps someone who can manage it.
/// </summary>
public sealed class UserAccounts(IServiceScopeFactory scopes, IDbContextFactory<RegistryDbContext> factory, TimeProvider clock)
{
    public async Task<PLawUser> CreateAsync(string userName, string role, string password, CancellationToken ct = default)
    {
        var parsed = RequireRole(role);
        userName = userName?.Trim() ?? "";
        if (userName.Length == 0) throw new UserAccountException("A user needs a name.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        await EnsureRolesAsync(scope, ct);
        var user = new PLawUser { UserName = userName, CreatedUtc = clock.GetUtcNow().UtcDateTime, LockoutEnabled = true };
        Check(await users.CreateAsync(user, password ?? ""));
        var added = await users.AddToRolesAsync(user, Roles.Implied(parsed));
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            Check(added);
        }
        return user;
    }

    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles.AsNoTracking()
                           join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var byUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        var now = clock.GetUtcNow();
        return users.ConvertAll(u => new UserView(u.Id, u.UserName!, Roles.Highest(byUser[u.Id]) ?? "", u.CreatedUtc, IsLocked(u, now)));
    }

    /// <summary>Gives <paramref name="userName"/> exactly <paramref name="role"/> (and the roles below it); refuses to demote the last admin.</summary>
    public async Task SetRoleAsync(string userName, string role, CancellationToken ct = default)
    {
        var parsed = RequireRole(role);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        await EnsureRolesAsync(scope, ct);
        var user = await FindAsync(users, userName);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(Roles.Admin) && parsed != Roles.Admin)
            await EnsureAnotherAdminAsync(users, user, "demote", ct);
        var wanted = Roles.Implied(parsed).ToList();
        var remove = current.Except(wanted).ToList();
        if (remove.Count > 0) Check(await users.RemoveFromRolesAsync(user, remove));
        var add = wanted.Except(current).ToList();
        if (add.Count > 0) Check(await users.AddToRolesAsync(user, add));
        // A new security stamp signs the user's cookies out, so a demotion takes effect on their next request.
        Check(await users.UpdateSecurityStampAsync(user));
    }

    public async Task SetPasswordAsync(string userName, string password, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        var user = await FindAsync(users, userName);
        foreach (var validator in users.PasswordValidators)
            Check(await validator.ValidateAsync(users, user, password ?? ""));
        if (await users.HasPasswordAsync(user)) Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password ?? ""));
        Check(await users.ResetAccessFailedCountAsync(user));
    }

    /// <summary>Locks the user out indefinitely (their tokens stop working, their cookies are signed out) or lifts any lockout.</summary>
    public async Task SetLockedAsync(string userName, bool locked, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        var user = await FindAsync(users, userName);
        if (locked && await users.IsInRoleAsync(user, Roles.Admin))
            await EnsureAnotherAdminAsync(users, user, "lock", ct);
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
        if (!locked) Check(await users.ResetAccessFailedCountAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
    }

    /// <summary>Removes the user and revokes their tokens; refuses the last admin.</summary>
    public async Task RemoveAsync(string userName, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        var user = await FindAsync(users, userName);
        if (await users.IsInRoleAsync(user, Roles.Admin))
            await EnsureAnotherAdminAsync(users, user, "remove", ct);
        await using (var db = await factory.CreateDbContextAsync(ct))
            await ApiTokens.RevokeAllAsync(db, user.Id, clock.GetUtcNow().UtcDateTime, ct);
        Check(await users.DeleteAsync(user));
    }

    /// <summary>Whether some admin exists who is not locked out: without one, a dashboard that needs sign-in cannot be managed.</summary>
    public async Task<bool> AnyAdminAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        var now = clock.GetUtcNow();
        return (await users.GetUsersInRoleAsync(Roles.Admin)).Any(u => !IsLocked(u, now));
    }

    /// <summary>The user's highest role; null when there is no such user.</summary>
    public Task<string?> RoleOfAsync(string userName, CancellationToken ct = default) => RoleAsync(userName, evenIfLocked: true);

    /// <summary>The role <paramref name="userName"/> may act with now: null when the account is gone or locked out.</summary>
    public Task<string?> ActiveRoleAsync(string userName, CancellationToken ct = default) => RoleAsync(userName, evenIfLocked: false);

    private async Task<string?> RoleAsync(string userName, bool evenIfLocked)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        var user = await users.FindByNameAsync(userName?.Trim() ?? "");
        if (user is null || (!evenIfLocked && IsLocked(user, clock.GetUtcNow()))) return null;
        return Roles.Highest(await users.GetRolesAsync(user));
    }

    private async Task EnsureAnotherAdminAsync(UserManager<PLawUser> users, PLawUser user, string verb, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow();
        if (!(await users.GetUsersInRoleAsync(Roles.Admin)).Any(u => u.Id != user.Id && !IsLocked(u, now)))
            throw new UserAccountException($"'{user.UserName}' is the last admin; make another user admin before you {verb} them.");
    }

    private static async Task EnsureRolesAsync(AsyncServiceScope scope, CancellationToken ct)
    {
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            ct.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                var created = await roles.CreateAsync(new IdentityRole(role));
                // Another process may have created it in between; only a role still missing is an error.
                if (!created.Succeeded && !await roles.RoleExistsAsync(role)) Check(created);
            }
        }
    }

    private static async Task<PLawUser> FindAsync(UserManager<PLawUser> users, string userName) =>
        await users.FindByNameAsync(userName?.Trim() ?? "") ?? throw new UserAccountException($"There is no user named '{userName}'.");

    private static string RequireRole(string role) =>
        Roles.Parse(role) ?? throw new UserAccountException($"'{role}' is not a role; expected viewer, member or admin.");

    internal static bool IsLocked(PLawUser user, DateTimeOffset now) => user.LockoutEnd is { } end && end > now;

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new UserAccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
