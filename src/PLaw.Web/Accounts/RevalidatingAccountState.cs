using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>
/// A signed-in browser's circuit lives for hours; every minute it checks that its user still exists, is not locked out
/// and has the role it signed in with. Otherwise the circuit's user becomes anonymous (the page asks to sign in again).
/// </summary>
public sealed class RevalidatingAccountState(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (state.User.Identity?.AuthenticationType is AuthSchemes.Local) return true;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PLawUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || await users.IsLockedOutAsync(user)) return false;
        var roles = await users.GetRolesAsync(user);
        var role = Roles.All.Reverse().FirstOrDefault(r => roles.Contains(r, StringComparer.OrdinalIgnoreCase));
        return role == PrincipalRoles.Highest(state.User);
    }
}
