using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>Who is using a component, with their highest role; <see cref="Can"/> counts implied roles (an Admin can do what a Member can).</summary>
public sealed record CallerInfo(string Name, string Role, bool IsLocal)
{
    public bool Can(string role) => Roles.AtLeast(Role, role);

    public static CallerInfo Of(ClaimsPrincipal user, bool isLocal) =>
        user.Identity is { IsAuthenticated: true } identity
            ? new CallerInfo(identity.Name ?? "?", PrincipalRoles.Highest(user) ?? "", isLocal)
            : new CallerInfo("anonymous", "", isLocal);
}

/// <summary>
/// The caller of a component (scoped: one per circuit). Every mutating handler asks <see cref="RequireAsync"/> first: the
/// server decides, hiding or disabling a button is not enough.
/// </summary>
public sealed class Caller(AuthenticationStateProvider authentication, ISnackbar snackbar, DashboardAuth auth, UserAccounts accounts)
{
    public async Task<CallerInfo> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return CallerInfo.Of(state.User, auth.IsLocal);
    }

    /// <summary>
    /// True when the caller has <paramref name="role"/> (or a higher one); else says why in a snackbar and returns false.
    /// A signed-in caller's role is read from the registry at this moment, not from the circuit's principal: a demotion or
    /// a lock stops the next action of a page already open, instead of the next revalidation a minute later.
    /// </summary>
    public async Task<bool> RequireAsync(string role)
    {
        var caller = await GetAsync();
        if (!caller.IsLocal && caller.Role.Length > 0)
            caller = caller with { Role = await accounts.ActiveRoleAsync(caller.Name) ?? "" };
        if (caller.Can(role)) return true;
        snackbar.Add($"This needs the {role} role; you are signed in as {caller.Name} ({(caller.Role.Length > 0 ? caller.Role : "no role")}).", Severity.Warning);
        return false;
    }
}
