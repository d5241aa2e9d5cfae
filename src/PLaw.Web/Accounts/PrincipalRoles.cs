using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Accounts;

/// <summary>Roles on a principal: its own and every one below it (an Admin is also a Member and a Viewer).</summary>
public static class PrincipalRoles
{
    /// <summary>The highest role the principal holds, or null.</summary>
    public static string? Highest(ClaimsPrincipal user) =>
        Roles.All.Reverse().FirstOrDefault(user.IsInRole);

    public static ClaimsIdentity Identity(string authenticationType, string name, string role, IEnumerable<Claim>? extra = null)
    {
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        foreach (var r in Roles.Implied(role)) identity.AddClaim(new Claim(ClaimTypes.Role, r));
        if (extra is not null) identity.AddClaims(extra);
        return identity;
    }
}

/// <summary>
/// Completes a cookie principal's roles with the ones its role implies, however the account's role is stored, so that
/// <c>[Authorize(Roles = "Member")]</c> admits admins.
/// </summary>
public sealed class ImpliedRoles : IClaimsTransformation
{
    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity || PrincipalRoles.Highest(principal) is not { } role)
            return Task.FromResult(principal);
        var missing = Roles.Implied(role).Where(r => !principal.IsInRole(r)).ToList();
        if (missing.Count == 0) return Task.FromResult(principal);
        var clone = principal.Clone();
        var first = (ClaimsIdentity)clone.Identity!;
        foreach (var r in missing) first.AddClaim(new Claim(first.RoleClaimType, r));
        return Task.FromResult(clone);
    }
}
