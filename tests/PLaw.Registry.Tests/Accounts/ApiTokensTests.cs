using Microsoft.EntityFrameworkCore;
using PLaw.Registry.Accounts;

namespace PLaw.Registry.Tests.Accounts;

/// <summary>Personal API tokens (#11): only the hash is stored; expired, revoked and locked-out tokens are refused.</summary>
public sealed class ApiTokensTests
{
    private const string Password = "correct horse battery";

    private static async Task<(TemporaryRegistry Registry, SteppedClock Clock, ApiTokens Tokens)> CreateAsync()
    {
        var registry = await TemporaryRegistry.CreateAsync();
        var clock = new SteppedClock(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await registry.Get<UserAccounts>().CreateAsync("ada", Roles.Member, Password);
        return (registry, clock, new ApiTokens(registry.Get<IDbContextFactory<RegistryDbContext>>(), clock));
    }

    [Fact]
    public async Task TheRegistryKeepsTheHashAndPrefixNeverTheSecret()
    {
        var (registry, _, tokens) = await CreateAsync();
        await using var _r = registry;
        var (view, secret) = await tokens.CreateAsync("ada", "laptop", TokenScope.Write, null);

        Assert.StartsWith(ApiTokens.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.True(secret.Length >= 40, secret);
        Assert.Equal(secret[..12], view.Prefix);
        await using var db = registry.OpenContext();
        var stored = await db.ApiTokens.SingleAsync();
        Assert.Equal(ApiTokens.Hash(secret), stored.Hash);
        Assert.Equal(64, stored.Hash.Length);
        Assert.DoesNotContain(secret, stored.Hash, StringComparison.Ordinal);
        // Nowhere in the registry file either.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(registry.RegistryPath);
        var wal = registry.RegistryPath + "-wal";
        if (File.Exists(wal)) bytes = [.. bytes, .. await File.ReadAllBytesAsync(wal)];
        Assert.Equal(-1, System.Text.Encoding.Latin1.GetString(bytes).IndexOf(secret, StringComparison.Ordinal));

        var principal = await tokens.ValidateAsync(secret);
        Assert.Equal(("ada", Roles.Member, TokenScope.Write, view.Id), (principal!.UserName, principal.Role, principal.Scope, principal.TokenId));
        Assert.Null(await tokens.ValidateAsync(secret + "x"));
        Assert.Null(await tokens.ValidateAsync(stored.Hash));
        Assert.Null(await tokens.ValidateAsync(""));
    }

    [Fact]
    public async Task AnExpiredTokenIsRefusedAndARevokedOneToo()
    {
        var (registry, clock, tokens) = await CreateAsync();
        await using var _r = registry;
        var now = clock.GetUtcNow().UtcDateTime;
        var (expiring, expiringSecret) = await tokens.CreateAsync("ada", "ci", TokenScope.Read, now.AddDays(1));
        var (_, keptSecret) = await tokens.CreateAsync("ada", "kept", TokenScope.Read, null);
        Assert.NotNull(await tokens.ValidateAsync(expiringSecret));
        Assert.True(expiring.Active(now));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Null(await tokens.ValidateAsync(expiringSecret));
        Assert.False(expiring.Active(clock.GetUtcNow().UtcDateTime));
        Assert.NotNull(await tokens.ValidateAsync(keptSecret));

        var kept = (await tokens.ListAsync("ada")).Single(t => t.Name == "kept");
        Assert.False(await tokens.RevokeAsync(kept.Id, "someone-else"));
        Assert.NotNull(await tokens.ValidateAsync(keptSecret));
        Assert.True(await tokens.RevokeAsync(kept.Id, "ada"));
        Assert.False(await tokens.RevokeAsync(kept.Id, null));
        Assert.Null(await tokens.ValidateAsync(keptSecret));
        Assert.NotNull((await tokens.ListAsync(null)).Single(t => t.Id == kept.Id).RevokedUtc);
    }

    [Fact]
    public async Task ALockedOutOwnerMakesTheirTokensUseless()
    {
        var (registry, _, tokens) = await CreateAsync();
        await using var _r = registry;
        var (_, secret) = await tokens.CreateAsync("ada", "laptop", TokenScope.Write, null);
        await registry.Get<UserAccounts>().SetLockedAsync("ada", true);
        Assert.Null(await tokens.ValidateAsync(secret));
        await registry.Get<UserAccounts>().SetLockedAsync("ada", false);
        Assert.NotNull(await tokens.ValidateAsync(secret));
    }

    [Fact]
    public async Task TheTokenCarriesItsScopeAndItsOwnersCurrentRole()
    {
        var (registry, _, tokens) = await CreateAsync();
        await using var _r = registry;
        var (_, read) = await tokens.CreateAsync("ada", "dashboards", TokenScope.Read, null);
        var (_, worker) = await tokens.CreateAsync("ada", "gpu box", TokenScope.Worker, null);
        Assert.Equal(TokenScope.Read, (await tokens.ValidateAsync(read))!.Scope);
        Assert.Equal(TokenScope.Worker, (await tokens.ValidateAsync(worker))!.Scope);

        await registry.Get<UserAccounts>().SetRoleAsync("ada", Roles.Viewer);
        Assert.Equal(Roles.Viewer, (await tokens.ValidateAsync(worker))!.Role);
    }

    [Fact]
    public async Task BadRequestsAreRefusedWithAReason()
    {
        var (registry, clock, tokens) = await CreateAsync();
        await using var _r = registry;
        Assert.Contains("no user named 'nobody'", (await Assert.ThrowsAsync<UserAccountException>(
            () => tokens.CreateAsync("nobody", "x", TokenScope.Read, null))).Message, StringComparison.Ordinal);
        Assert.Contains("needs a name", (await Assert.ThrowsAsync<UserAccountException>(
            () => tokens.CreateAsync("ada", "  ", TokenScope.Read, null))).Message, StringComparison.Ordinal);
        Assert.Contains("not in the future", (await Assert.ThrowsAsync<UserAccountException>(
            () => tokens.CreateAsync("ada", "old", TokenScope.Read, clock.GetUtcNow().UtcDateTime.AddMinutes(-1)))).Message, StringComparison.Ordinal);
        Assert.Empty(await tokens.ListAsync(null));
    }
}
