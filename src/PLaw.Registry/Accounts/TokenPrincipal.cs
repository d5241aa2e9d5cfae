namespace PLaw.Registry.Accounts;

/// <summary>Who a valid token speaks for: its owner and the owner's (uncapped) role, with the token's scope.</summary>
public sealed record TokenPrincipal(int TokenId, string UserId, string UserName, string Role, TokenScope Scope);

/// <summary>A token as lists show it: never the secret or its hash.</summary>
public sealed record ApiTokenView(int Id, string UserName, string Name, string Prefix, TokenScope Scope, DateTime CreatedUtc,
    DateTime? ExpiresUtc, DateTime? LastUsedUtc, DateTime? RevokedUtc)
{
    public bool Active(DateTime nowUtc) => RevokedUtc is null && (ExpiresUtc is not { } expires || expires > nowUtc);
}
