using PLaw.Registry.Accounts;

namespace PLaw.Registry.Tests.Accounts;

/// <summary>Users and roles (#11): hierarchical roles, Identity's password rule, and the last admin kept.</summary>
public sealed class UserAccountsTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task AUserHoldsTheirRoleAndEveryRoleBelowIt()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var accounts = registry.Get<UserAccounts>();
        var user = await accounts.CreateAsync("grace", "admin", Password);
        await accounts.CreateAsync("alan", Roles.Viewer, Password);

        var users = registry.Get<Microsoft.AspNetCore.Identity.UserManager<PLawUser>>();
        Assert.Equal(Roles.All.Order(), (await users.GetRolesAsync(user)).Order());
        Assert.Equal(Roles.Admin, await accounts.RoleOfAsync("grace"));
        Assert.Null(await accounts.RoleOfAsync("nobody"));
        Assert.Equal([("alan", Roles.Viewer), ("grace", Roles.Admin)], (await accounts.ListAsync()).Select(u => (u.UserName, u.Role)));
        Assert.True(await accounts.AnyAdminAsync());
        Assert.True(await users.CheckPasswordAsync(user, Password));

        await accounts.SetRoleAsync("alan", "Member");
        Assert.Equal(Roles.Member, await accounts.RoleOfAsync("alan"));
        Assert.False(await users.IsInRoleAsync((await users.FindByNameAsync("alan"))!, Roles.Admin));
    }

    [Fact]
    public async Task IdentitysRulesRefuseShortPasswordsAndTakenNames()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var accounts = registry.Get<UserAccounts>();
        var shortPassword = await Assert.ThrowsAsync<UserAccountException>(() => accounts.CreateAsync("ada", Roles.Member, "short"));
        Assert.Contains("at least 10 characters", shortPassword.Message, StringComparison.Ordinal);
        await accounts.CreateAsync("ada", Roles.Member, "ten chars!");
        var taken = await Assert.ThrowsAsync<UserAccountException>(() => accounts.CreateAsync("ADA", Roles.Member, Password));
        Assert.Contains("already taken", taken.Message, StringComparison.Ordinal);
        Assert.Contains("not a role", (await Assert.ThrowsAsync<UserAccountException>(
            () => accounts.CreateAsync("bob", "owner", Password))).Message, StringComparison.Ordinal);
        Assert.Single(await accounts.ListAsync());
        Assert.False(await accounts.AnyAdminAsync());
    }

    [Fact]
    public async Task TheLastAdminCanBeNeitherDemotedLockedNorRemoved()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var accounts = registry.Get<UserAccounts>();
        await accounts.CreateAsync("grace", Roles.Admin, Password);
        await accounts.CreateAsync("alan", Roles.Member, Password);

        Assert.Contains("last admin", (await Assert.ThrowsAsync<UserAccountException>(
            () => accounts.SetRoleAsync("grace", Roles.Member))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UserAccountException>(() => accounts.RemoveAsync("grace"));
        await Assert.ThrowsAsync<UserAccountException>(() => accounts.SetLockedAsync("grace", true));
        Assert.Equal(Roles.Admin, await accounts.RoleOfAsync("grace"));
        Assert.False((await accounts.ListAsync()).Single(u => u.UserName == "grace").LockedOut);

        await accounts.SetRoleAsync("alan", Roles.Admin);
        await accounts.SetRoleAsync("grace", Roles.Viewer);
        Assert.Equal(Roles.Viewer, await accounts.RoleOfAsync("grace"));
        await Assert.ThrowsAsync<UserAccountException>(() => accounts.RemoveAsync("alan"));
    }

    [Fact]
    public async Task RemovingAUserRevokesTheirTokens()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var accounts = registry.Get<UserAccounts>();
        await accounts.CreateAsync("grace", Roles.Admin, Password);
        await accounts.CreateAsync("alan", Roles.Member, Password);
        var tokens = registry.Get<ApiTokens>();
        var (_, secret) = await tokens.CreateAsync("alan", "laptop", TokenScope.Write, null);
        var (_, kept) = await tokens.CreateAsync("grace", "laptop", TokenScope.Write, null);

        await accounts.RemoveAsync("alan");
        Assert.Null(await tokens.ValidateAsync(secret));
        Assert.NotNull(await tokens.ValidateAsync(kept));
        Assert.Equal(["grace"], (await accounts.ListAsync()).Select(u => u.UserName));
        Assert.Contains("no user named 'alan'", (await Assert.ThrowsAsync<UserAccountException>(
            () => accounts.RemoveAsync("alan"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewPasswordReplacesTheOldOne()
    {
        await using var registry = await TemporaryRegistry.CreateAsync();
        var accounts = registry.Get<UserAccounts>();
        await accounts.CreateAsync("ada", Roles.Member, Password);
        await Assert.ThrowsAsync<UserAccountException>(() => accounts.SetPasswordAsync("ada", "short"));
        await accounts.SetPasswordAsync("ada", "a new long password");
        var users = registry.Get<Microsoft.AspNetCore.Identity.UserManager<PLawUser>>();
        var ada = (await users.FindByNameAsync("ada"))!;
        Assert.False(await users.CheckPasswordAsync(ada, Password));
        Assert.True(await users.CheckPasswordAsync(ada, "a new long password"));
    }

    [Theory]
    [InlineData("viewer", "Viewer")]
    [InlineData(" ADMIN ", "Admin")]
    [InlineData("Member", "Member")]
    [InlineData("root", null)]
    [InlineData("", null)]
    public void RolesParseIgnoringCase(string text, string? expected) => Assert.Equal(expected, Roles.Parse(text));

    [Fact]
    public void RolesAreOrdered()
    {
        Assert.True(Roles.AtLeast(Roles.Admin, Roles.Member));
        Assert.True(Roles.AtLeast(Roles.Member, Roles.Member));
        Assert.False(Roles.AtLeast(Roles.Viewer, Roles.Member));
        Assert.False(Roles.AtLeast(null, Roles.Viewer));
        Assert.Equal([Roles.Viewer, Roles.Member], Roles.Implied(Roles.Member));
    }
}
