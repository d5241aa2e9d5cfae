using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// /admin/users (issue #11) in local mode, where the caller is <c>local</c> (Admin): add users with a chosen or a generated
/// password, change a role, lock and unlock, reset a password, remove; the last admin can be neither demoted nor removed.
/// Each change is checked in the registry file, and each leaves an audit entry.
/// </summary>
public sealed class UsersPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private string Registry => dashboard.Server.RegistryPath;

    private List<string> RolesOf(string user) => RegistryFile.Strings(Registry,
        "SELECT r.Name FROM AspNetUserRoles ur JOIN AspNetRoles r ON r.Id = ur.RoleId JOIN AspNetUsers u ON u.Id = ur.UserId " +
        $"WHERE u.UserName = '{user}' ORDER BY r.Name");

    private long Users(string user) => RegistryFile.Scalar<long>(Registry, $"SELECT COUNT(*) FROM AspNetUsers WHERE UserName = '{user}'");

    [Fact]
    public async Task AnAdminManagesUsersAndTheLastAdminIsKept()
    {
        var page = await dashboard.OpenAsync("/admin/users");
        await Assertions.Expect(page.Locator("#local-mode-note")).ToBeVisibleAsync();

        // alice, Admin, with a chosen password: no secret to show.
        await MudInputs.FillAsync(page, "new-user-name", "alice");
        await MudInputs.ChooseAsync(page, "new-user-role", "Admin");
        await MudInputs.FillAsync(page, "new-user-password", "a long enough password");
        await page.Locator("#add-user").ClickAsync();
        var alice = page.Locator("tr.user-row[data-user='alice']");
        await Assertions.Expect(alice).ToHaveAttributeAsync("data-role", "Admin");
        await Assertions.Expect(page.Locator("#user-secret")).ToHaveCountAsync(0);
        Assert.Equal(["Admin", "Member", "Viewer"], RolesOf("alice"));

        // bob, Member, password left empty: a generated one is shown once.
        await MudInputs.FillAsync(page, "new-user-name", "bob");
        await MudInputs.ChooseAsync(page, "new-user-role", "Member");
        await page.Locator("#add-user").ClickAsync();
        var bob = page.Locator("tr.user-row[data-user='bob']");
        await Assertions.Expect(bob).ToHaveAttributeAsync("data-role", "Member");
        var generated = (await page.Locator("#user-secret-value").TextContentAsync())!.Trim();
        Assert.Equal(20, generated.Length);
        Assert.Equal(["Member", "Viewer"], RolesOf("bob"));

        // A password Identity refuses: the reason is shown and nobody is added.
        await MudInputs.FillAsync(page, "new-user-name", "carol");
        await MudInputs.FillAsync(page, "new-user-password", "short");
        await page.Locator("#add-user").ClickAsync();
        await Assertions.Expect(page.Locator("#add-user-error")).ToContainTextAsync("at least 10 characters");
        Assert.Equal(0L, Users("carol"));

        // bob becomes a Viewer.
        var bobId = RegistryFile.Scalar<string>(Registry, "SELECT Id FROM AspNetUsers WHERE UserName = 'bob'");
        await MudInputs.ChooseAsync(page, $"role-{bobId}", "Viewer");
        await Assertions.Expect(bob).ToHaveAttributeAsync("data-role", "Viewer");
        Assert.Equal(["Viewer"], RolesOf("bob"));

        // alice is the last admin: demoting and removing her are refused, and she stays as she was.
        var aliceId = RegistryFile.Scalar<string>(Registry, "SELECT Id FROM AspNetUsers WHERE UserName = 'alice'");
        await MudInputs.ChooseAsync(page, $"role-{aliceId}", "Member");
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "'alice' is the last admin" })).ToBeVisibleAsync();
        await Assertions.Expect(alice).ToHaveAttributeAsync("data-role", "Admin");
        await page.Locator("button[aria-label='Remove alice']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "make another user admin before you remove them" })).ToBeVisibleAsync();
        Assert.Equal(1L, Users("alice"));
        Assert.Equal(["Admin", "Member", "Viewer"], RolesOf("alice"));

        // Lock, unlock, reset the password of bob, then remove him.
        await page.Locator("button[aria-label='Lock bob']").ClickAsync();
        await Assertions.Expect(bob.Locator(".user-state")).ToHaveTextAsync("locked");
        Assert.Equal(1L, RegistryFile.Scalar<long>(Registry, "SELECT COUNT(*) FROM AspNetUsers WHERE UserName = 'bob' AND LockoutEnd IS NOT NULL"));
        await page.Locator("button[aria-label='Unlock bob']").ClickAsync();
        await Assertions.Expect(bob.Locator(".user-state")).ToHaveTextAsync("active");
        Assert.Equal(1L, RegistryFile.Scalar<long>(Registry, "SELECT COUNT(*) FROM AspNetUsers WHERE UserName = 'bob' AND LockoutEnd IS NULL"));
        var hashBefore = RegistryFile.Scalar<string>(Registry, "SELECT PasswordHash FROM AspNetUsers WHERE UserName = 'bob'");
        await page.Locator("button[aria-label='Reset password of bob']").ClickAsync();
        await Assertions.Expect(page.Locator("#user-secret")).ToContainTextAsync("New password of bob");
        Assert.NotEqual(generated, (await page.Locator("#user-secret-value").TextContentAsync())!.Trim());
        Assert.NotEqual(hashBefore, RegistryFile.Scalar<string>(Registry, "SELECT PasswordHash FROM AspNetUsers WHERE UserName = 'bob'"));
        await page.Locator("button[aria-label='Remove bob']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Assertions.Expect(bob).ToHaveCountAsync(0);
        Assert.Equal(0L, Users("bob"));

        // Every change that happened is on record, in local's name; the refused ones are not.
        Assert.Equal(["user added", "user added", "role changed", "user locked", "user unlocked", "password reset", "user removed"],
            RegistryFile.Strings(Registry, "SELECT Action FROM AuditEntries WHERE SubjectKind = 'user' AND Actor = 'local' ORDER BY Id"));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(false, 1280)]
    [InlineData(true, 1280)]
    [InlineData(false, 390)]
    public async Task TheUsersPageIsAccessibleInBothSchemesAndAtPhoneWidth(bool dark, int width)
    {
        // Checked with a row in the table whichever test ran first.
        var collection = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(Registry);
        collection.AddPLawAccounts();
        await using (var services = collection.BuildServiceProvider())
        {
            if (Users("dora") == 0) await services.GetRequiredService<UserAccounts>().CreateAsync("dora", Roles.Viewer, "dora's long password");
        }
        var page = await dashboard.OpenAsync("/admin/users", dark, width);
        await Assertions.Expect(page.Locator("#add-user")).ToBeVisibleAsync();
        await Accessibility.AssertCleanAsync(page, $"/admin/users ({(dark ? "dark" : "light")}, {width} px)");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "The users page scrolls sideways at this width.");
        await page.Context.CloseAsync();
    }
}
