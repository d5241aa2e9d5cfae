using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// /account/tokens (issue #11): a new token's secret is shown once (only its SHA-256 is stored), the list shows its prefix and
/// scope, and revoking it works at once. The token is made in local mode by the admin for user alice; a second dashboard on
/// the same registry that requires sign-in (alice is its admin) then accepts it as <c>Authorization: Bearer</c> on /api/runs.json, and refuses
/// it (401) once revoked.
/// </summary>
public sealed class TokensPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task ATokenIsShownOnceWorksAsBearerAndStopsWhenRevoked()
    {
        var data = Directory.CreateTempSubdirectory("plaw-web-tokens-").FullName;
        var noWorker = new Dictionary<string, string> { ["PLaw__RunWorker"] = "false" };
        await using var local = await DashboardServer.StartAsync(data, noWorker);
        var collection = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(local.RegistryPath);
        collection.AddPLawAccounts();
        await using (var services = collection.BuildServiceProvider())
            await services.GetRequiredService<UserAccounts>().CreateAsync("alice", Roles.Admin, "alice's long password");
        await using var signIn = await DashboardServer.StartAsync(data, new Dictionary<string, string>(noWorker) { ["PLaw__Auth__Mode"] = "SignIn" });

        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = local.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/tokens");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#tokens-local-note")).ToBeVisibleAsync();
        await MudInputs.ChooseAsync(page, "token-owner", "alice");
        await MudInputs.FillAsync(page, "token-name", "laptop CLI");
        await MudInputs.ChooseAsync(page, "token-scope", "write");
        await page.Locator("#create-token").ClickAsync();
        var secret = (await page.Locator("#token-secret-value").TextContentAsync())!.Trim();
        Assert.StartsWith("plaw_", secret);

        // Stored hashed; listed by prefix, owner and scope.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))),
            RegistryFile.Scalar<string>(local.RegistryPath, "SELECT Hash FROM ApiTokens WHERE Name = 'laptop CLI'"));
        Assert.Equal(0L, RegistryFile.Scalar<long>(local.RegistryPath, $"SELECT COUNT(*) FROM ApiTokens WHERE Hash = '{secret}' OR Prefix = '{secret}'"));
        var row = page.Locator("tr.token-row", new() { HasText = "laptop CLI" });
        await Assertions.Expect(row.Locator(".token-prefix")).ToHaveTextAsync(secret[..12] + "…");
        await Assertions.Expect(row.Locator(".token-user")).ToHaveTextAsync("alice");
        await Assertions.Expect(row.Locator(".token-scope")).ToHaveTextAsync("write");
        await Assertions.Expect(row.Locator(".token-state")).ToHaveTextAsync("active");

        // Shown once: opening the page again shows the row, never the secret.
        await page.ReloadAsync();
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#token-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());

        // The dashboard that needs sign-in takes the token, and nothing else.
        using var http = new HttpClient { BaseAddress = new Uri(signIn.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/runs.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A'))).StatusCode);

        // Revoked: refused at once.
        await row.Locator(".revoke-token").ClickAsync();
        await Assertions.Expect(row.Locator(".token-state")).ToHaveTextAsync("revoked");
        Assert.Equal(1L, RegistryFile.Scalar<long>(local.RegistryPath, "SELECT COUNT(*) FROM ApiTokens WHERE Name = 'laptop CLI' AND RevokedUtc IS NOT NULL"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, secret)).StatusCode);
        Assert.Equal(["token created", "token revoked"],
            RegistryFile.Strings(local.RegistryPath, "SELECT Action FROM AuditEntries WHERE SubjectKind = 'token' AND Actor = 'local' ORDER BY Id"));
        await context.CloseAsync();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs.json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http.SendAsync(request);
    }

    [Theory]
    [InlineData(false, 1280)]
    [InlineData(true, 1280)]
    [InlineData(false, 390)]
    public async Task TheTokensPageIsAccessibleInBothSchemesAndAtPhoneWidth(bool dark, int width)
    {
        // Checked with a token in the list.
        var collection = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(dashboard.Server.RegistryPath);
        collection.AddPLawAccounts();
        await using (var services = collection.BuildServiceProvider())
        {
            var accounts = services.GetRequiredService<UserAccounts>();
            if (await accounts.RoleOfAsync("erin") is null)
            {
                await accounts.CreateAsync("erin", Roles.Viewer, "erin's long password");
                await services.GetRequiredService<ApiTokens>().CreateAsync("erin", "dashboards", TokenScope.Read, DateTime.UtcNow.AddDays(30));
            }
        }
        var page = await dashboard.OpenAsync("/account/tokens", dark, width);
        await Assertions.Expect(page.Locator("#create-token")).ToBeVisibleAsync();
        await Accessibility.AssertCleanAsync(page, $"/account/tokens ({(dark ? "dark" : "light")}, {width} px)");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            "The tokens page scrolls sideways at this width.");
        await page.Context.CloseAsync();
    }
}
