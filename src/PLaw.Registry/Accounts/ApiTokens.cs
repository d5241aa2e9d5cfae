using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace PLaw.Registry.Accounts;

/// <summary>
/// Creates, checks, lists and revokes personal API tokens. A secret is <c>plaw_</c> and 32 random bytes (base64url); the
/// registry keeps its SHA-256 only, so a copy of the registry file does not hand out working tokens.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<RegistryDbContext> factory, TimeProvider clock)
{
    public const string SecretPrefix = "plaw_";
    public const int PrefixLength = 12;
    public const int MaxNameLength = 100;
    /// <summary>Last-used times are written at most this often per token, so a busy client does not write on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<(ApiTokenView Token, string Secret)> CreateAsync(string userName, string name, TokenScope scope, DateTime? expiresUtc,
        CancellationToken ct = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length == 0) throw new UserAccountException("A token needs a name.");
        if (name.Length > MaxNameLength) throw new UserAccountException($"A token name has at most {MaxNameLength} characters (this one has {name.Length}).");
        if (!Enum.IsDefined(scope)) throw new UserAccountException($"'{scope}' is not a token scope; expected read, write or worker.");
        var now = Now();
        if (expiresUtc is { } expires && expires <= now)
            throw new UserAccountException($"The expiry {expires:yyyy-MM-dd HH:mm} UTC is not in the future.");
        await using var db = await factory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == Normalize(userName)).Select(u => new { u.Id, u.UserName })
                       .FirstOrDefaultAsync(ct)
                   ?? throw new UserAccountException($"There is no user named '{userName}'.");
        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiTokenRecord
        {
            UserId = user.Id, Name = name, Prefix = secret[..PrefixLength], Hash = Hash(secret), Scope = scope,
            CreatedUtc = now, ExpiresUtc = expiresUtc,
        };
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(CancellationToken.None);
        return (View(record, user.UserName!), secret);
    }

    /// <summary>The token's owner and scope; null when the secret is unknown, revoked or expired, or its owner is locked out or gone.</summary>
    public async Task<TokenPrincipal?> ValidateAsync(string secret, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 200) return null;
        var hash = Hash(secret);
        var now = Now();
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await (from t in db.ApiTokens.AsNoTracking()
                           join u in db.Users.AsNoTracking() on t.UserId equals u.Id
                           where t.Hash == hash
                           select new { TokenId = t.Id, t.Scope, t.ExpiresUtc, t.RevokedUtc, t.LastUsedUtc, UserId = u.Id, u.UserName, u.LockoutEnd })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.RevokedUtc is not null) return null;
        if (found.ExpiresUtc is { } expires && expires <= now) return null;
        if (found.LockoutEnd is { } lockedUntil && lockedUntil > new DateTimeOffset(now, TimeSpan.Zero)) return null;
        var role = Roles.Highest(await RoleNamesAsync(db, found.UserId, ct));
        if (role is null) return null;
        if (found.LastUsedUtc is not { } last || now - last >= LastUsedResolution)
            await db.ApiTokens.Where(t => t.Id == found.TokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, now), CancellationToken.None);
        return new TokenPrincipal(found.TokenId, found.UserId, found.UserName!, role, found.Scope);
    }

    /// <summary>Tokens of <paramref name="userName"/>, or of everyone when it is null (the admin's list); newest first.</summary>
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(string? userName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var normalized = userName is null ? null : Normalize(userName);
        var rows = await (from t in db.ApiTokens.AsNoTracking()
                          join u in db.Users.AsNoTracking() on t.UserId equals u.Id
                          where normalized == null || u.NormalizedUserName == normalized
                          orderby t.Id descending
                          select new { Token = t, u.UserName }).ToListAsync(ct);
        return rows.ConvertAll(r => View(r.Token, r.UserName!));
    }

    /// <summary>
    /// Revokes token <paramref name="id"/> if it exists, is not revoked yet and (unless <paramref name="ownerUserName"/> is
    /// null, the admin's case) belongs to <paramref name="ownerUserName"/>; false otherwise.
    /// </summary>
    public async Task<bool> RevokeAsync(int id, string? ownerUserName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var normalized = ownerUserName is null ? null : Normalize(ownerUserName);
        var now = Now();
        var revoked = await db.ApiTokens
            .Where(t => t.Id == id && t.RevokedUtc == null
                        && (normalized == null || db.Users.Any(u => u.Id == t.UserId && u.NormalizedUserName == normalized)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), ct);
        return revoked > 0;
    }

    /// <summary>Revokes every active token of user <paramref name="userId"/>; how many.</summary>
    internal static Task<int> RevokeAllAsync(RegistryDbContext db, string userId, DateTime now, CancellationToken ct) =>
        db.ApiTokens.Where(t => t.UserId == userId && t.RevokedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), ct);

    /// <summary>SHA-256 of the secret's UTF-8 bytes, lower-case hex: what the registry stores.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static async Task<List<string>> RoleNamesAsync(RegistryDbContext db, string userId, CancellationToken ct) =>
        await (from ur in db.UserRoles.AsNoTracking()
               join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
               where ur.UserId == userId
               select r.Name!).ToListAsync(ct);

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static string Normalize(string userName) => userName.Trim().ToUpperInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiTokenView View(ApiTokenRecord t, string userName) =>
        new(t.Id, userName, t.Name, t.Prefix, t.Scope, t.CreatedUtc, t.ExpiresUtc, t.LastUsedUtc, t.RevokedUtc);
}
