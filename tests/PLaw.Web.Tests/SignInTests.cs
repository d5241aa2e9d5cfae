using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// A dashboard in SignIn mode (issue #11) with an admin from <c>PLaw:Auth:BootstrapAdmin</c>, a member and a viewer, and a
/// worker that trains nothing (queued runs stay queued): pages, the API and the hub, through the real server and browser.
/// </summary>
public sealed class SignInTests(SignInTests.Fixture fixture) : IClassFixture<SignInTests.Fixture>
{
    public const string AdminName = "admin";
    public const string AdminPassword = "correct horse battery";

    public static Dictionary<string, string> SignInEnvironment(int permitPerMinute = 1000) => new()
    {
        ["PLaw__Auth__Mode"] = "SignIn",
        ["PLaw__Auth__BootstrapAdmin__Name"] = AdminName,
        ["PLaw__Auth__BootstrapAdmin__Password"] = AdminPassword,
        ["PLaw__Auth__SignInPermitPerMinute"] = permitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PLaw__RunWorker"] = "false",
    };

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly BrowserFixture browser = new();
        public DashboardServer Server { get; private set; } = default!;
        public ServiceProvider Registry { get; private set; } = default!;
        public IBrowser Browser => browser.Browser;

        public async Task InitializeAsync()
        {
            await browser.InitializeAsync();
            Server = await DashboardServer.StartAsync(environment: SignInEnvironment());
            var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(Server.RegistryPath);
            services.AddPLawAccounts();
            Registry = services.BuildServiceProvider();
            var accounts = Registry.GetRequiredService<UserAccounts>();
            await accounts.CreateAsync("mia", Roles.Member, "member password 1");
            await accounts.CreateAsync("vic", Roles.Viewer, "viewer password 1");
        }

        public async Task DisposeAsync()
        {
            await browser.DisposeAsync();
            if (Registry is not null) await Registry.DisposeAsync();
            if (Server is not null) await Server.DisposeAsync();
        }
    }

    private DashboardServer Server => fixture.Server;

    private async Task<IPage> NewPageAsync(bool dark = false)
    {
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = Server.BaseUrl, ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private static async Task SignInAsync(IPage page, string name, string password)
    {
        await page.Locator("#signin-name").FillAsync(name);
        await page.Locator("#signin-password").FillAsync(password);
        // Until the page the form's POST redirected to has arrived.
        await page.RunAndWaitForResponseAsync(() => page.Locator("#signin-submit").ClickAsync(),
            r => r.Request.IsNavigationRequest && r.Request.RedirectedFrom?.Method == "POST");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    private HttpClient Client(string? token = null)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<string> TokenAsync(string user, TokenScope scope) =>
        (await fixture.Registry.GetRequiredService<ApiTokens>().CreateAsync(user, $"test-{Guid.NewGuid():N}", scope, null)).Secret;

    private async Task<RunRecord> QueuedRunAsync()
    {
        var demo = (await fixture.Registry.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        return await fixture.Registry.GetRequiredService<RunCatalog>().QueueAsync(demo.Id,
            new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32 });
    }

    private string RunStatusInRegistry(int id) => RegistryFile.Strings(Server.RegistryPath, $"SELECT Status FROM Runs WHERE Id = {id}").Single();

    [Fact]
    public async Task AnAnonymousPageGoesToSignInAndBackThereAfterSigningInThenSignsOut()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/runs?sort=id");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/account/signin\?returnUrl=%2Fruns%3Fsort%3Did$"));
        await Accessibility.AssertCleanAsync(page, "the sign-in page (light)");

        await SignInAsync(page, AdminName, AdminPassword);
        await Assertions.Expect(page).ToHaveURLAsync($"{Server.BaseUrl}/runs?sort=id");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#auth-state")).ToHaveTextAsync("admin · Admin");
        await Assertions.Expect(page.Locator("#nav-users")).ToBeVisibleAsync();
        var audit = await fixture.Registry.GetRequiredService<AuditLog>().ListAsync();
        Assert.Contains(audit, e => e.Actor == AdminName && e.Action == AuditActions.SignedIn);

        await page.Locator("#signout").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/account/signin$"));
        await page.GotoAsync("/datasets");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/account/signin\?returnUrl=%2Fdatasets$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AViewerSeesTheirRoleAndNoAdminLinks()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/signin?returnUrl=%2Fdatasets");
        await SignInAsync(page, "vic", "viewer password 1");
        await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#auth-state")).ToHaveTextAsync("vic · Viewer");
        await Assertions.Expect(page.Locator("#nav-users")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#signout")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AWrongPasswordSaysSoAndIsAudited()
    {
        var page = await NewPageAsync(dark: true);
        await page.GotoAsync("/account/signin");
        await Accessibility.AssertCleanAsync(page, "the sign-in page (dark)");
        await SignInAsync(page, "mia", "not her password");
        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("Wrong user name or password, or the account is locked.");
        Assert.Contains("/account/signin?error=1", page.Url);
        await Accessibility.AssertCleanAsync(page, "the sign-in page with its error (dark)");
        var audit = await fixture.Registry.GetRequiredService<AuditLog>().ListAsync();
        Assert.Contains(audit, e => e.Actor == "mia" && e.Action == AuditActions.SignInFailed);
        Assert.DoesNotContain(audit, e => e.Actor == "mia" && e.Action == AuditActions.SignedIn);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ASignInOnlyReturnsToThisSite()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/signin?returnUrl=https%3A%2F%2Fevil.example%2F");
        await SignInAsync(page, "vic", "viewer password 1");
        Assert.StartsWith($"{Server.BaseUrl}/", page.Url);   // "/" instead (the home page then opens the datasets)
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheApiAndTheHubAnswer401WithoutATokenAndServeOneWithIt()
    {
        using var anonymous = Client();
        var refused = await anonymous.GetAsync("/api/runs.json");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);   // never a redirect to the sign-in page
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client("plaw_not-a-token").GetAsync("/api/runs.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);

        var read = await TokenAsync("mia", TokenScope.Read);
        using var reader = Client(read);
        var runs = await reader.GetAsync("/api/runs.json");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(await runs.Content.ReadAsStringAsync()).RootElement.ValueKind);
        var whoami = JsonDocument.Parse(await reader.GetStringAsync("/api/whoami")).RootElement;
        Assert.Equal("mia", whoami.GetProperty("name").GetString());
        Assert.Equal("Viewer", whoami.GetProperty("role").GetString());     // a read token caps a member at Viewer
        Assert.Equal("signin", whoami.GetProperty("mode").GetString());
        Assert.Equal("token", whoami.GetProperty("scheme").GetString());
        Assert.Equal("read", whoami.GetProperty("scope").GetString());

        await using var noToken = new HubConnectionBuilder().WithUrl($"{Server.BaseUrl}/hubs/runs").Build();
        var hubRefused = await Assert.ThrowsAsync<HttpRequestException>(() => noToken.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, hubRefused.StatusCode);

        var run = await QueuedRunAsync();
        var changed = new TaskCompletionSource<RunSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl($"{Server.BaseUrl}/hubs/runs", o => o.AccessTokenProvider = () => Task.FromResult<string?>(read)).Build();
        // The registry feed may also announce the run's queuing (it was stored by another process: this test): wait past it.
        hub.On<RunSummary>("RunChanged", r => { if (r.Id == run.Id && r.Status != RunStatus.Queued) changed.TrySetResult(r); });
        await hub.StartAsync();
        await hub.InvokeAsync("Watch", run.Id);
        // A change made through the API with a member's write token reaches the read token's hub connection.
        using var writer = Client(await TokenAsync("mia", TokenScope.Write));
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await changed.Task.WaitAsync(TimeSpan.FromSeconds(60))).Status);
    }

    [Fact]
    public async Task CancelAndRequeueNeedAMembersWriteTokenAndAreAudited()
    {
        var run = await QueuedRunAsync();
        var queued = RunStatusInRegistry(run.Id);

        // A read token (even a member's), a viewer's write token, a signed-in browser's cookie: 403, and the run is as it was.
        using var read = Client(await TokenAsync("mia", TokenScope.Read));
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        using var viewer = Client(await TokenAsync("vic", TokenScope.Write));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        var page = await NewPageAsync();
        await page.GotoAsync("/account/signin");
        await SignInAsync(page, AdminName, AdminPassword);
        var byCookie = await page.Context.APIRequest.PostAsync($"{Server.BaseUrl}/api/runs/{run.Id}/cancel");
        Assert.Equal(403, byCookie.Status);
        await page.Context.CloseAsync();
        using var anonymous = Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal(queued, RunStatusInRegistry(run.Id));
        Assert.DoesNotContain(await fixture.Registry.GetRequiredService<AuditLog>().ListAsync(AuditSubjects.Run, run.Id),
            e => e.Action == AuditActions.Cancelled);

        using var member = Client(await TokenAsync("mia", TokenScope.Write));
        Assert.Equal(HttpStatusCode.OK, (await member.PostAsync($"/api/runs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await fixture.Registry.GetRequiredService<RunCatalog>().FindAsync(run.Id))!.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsync($"/api/runs/{run.Id}/requeue", null)).StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await fixture.Registry.GetRequiredService<RunCatalog>().FindAsync(run.Id))!.Status);
        using var worker = Client(await TokenAsync("mia", TokenScope.Worker));
        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync($"/api/runs/{run.Id}/requeue", null)).StatusCode);
        Assert.Equal(RunStatus.Queued, (await fixture.Registry.GetRequiredService<RunCatalog>().FindAsync(run.Id))!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await worker.PostAsync($"/api/runs/{run.Id}/requeue", null)).StatusCode);

        var trail = await fixture.Registry.GetRequiredService<AuditLog>().ListAsync(AuditSubjects.Run, run.Id);
        Assert.Equal([AuditActions.Requeued, AuditActions.Cancelled], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal("mia", e.Actor));
    }

    [Fact]
    public async Task SignInAttemptsBeyondThePermitAreRefusedWith429()
    {
        await using var server = await DashboardServer.StartAsync(environment: SignInEnvironment(permitPerMinute: 3));
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = new Uri(server.BaseUrl) };
        var form = await http.GetStringAsync("/account/signin");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        Task<HttpResponseMessage> PostAsync(string name, string password) => http.PostAsync("/account/signin", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["name"] = name, ["password"] = password, ["returnUrl"] = "/" }));
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await PostAsync("nobody", $"wrong {i}");
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
            Assert.Contains("error=1", wrong.Headers.Location!.OriginalString);
        }
        using var limited = await PostAsync("nobody", "wrong 4");
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        // The admin's right password is refused too while the window lasts: the limit is per address, not per account.
        using var admin = await PostAsync(AdminName, AdminPassword);
        Assert.Equal((HttpStatusCode)429, admin.StatusCode);
    }

    [Fact]
    public async Task AConfiguredIdentityProviderIsOfferedOnTheSignInPage()
    {
        var environment = SignInEnvironment();
        environment["PLaw__Auth__OpenIdConnect__Authority"] = "https://idp.example.org/realms/team";
        environment["PLaw__Auth__OpenIdConnect__ClientId"] = "plaw";
        environment["PLaw__Auth__OpenIdConnect__DisplayName"] = "Team SSO";
        await using var server = await DashboardServer.StartAsync(environment: environment);
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await Assertions.Expect(page.Locator("#signin-external")).ToHaveTextAsync("Sign in with Team SSO");
        await Accessibility.AssertCleanAsync(page, "the sign-in page with single sign-on");
        await context.CloseAsync();

        var plain = await NewPageAsync();
        await plain.GotoAsync("/account/signin");
        await Assertions.Expect(plain.Locator("#signin-external")).ToHaveCountAsync(0);
        await plain.Context.CloseAsync();
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccount()
    {
        var accounts = fixture.Registry.GetRequiredService<UserAccounts>();
        await accounts.CreateAsync("lou", Roles.Viewer, "lou password 12");
        var page = await NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("/account/signin");
            await SignInAsync(page, "lou", $"wrong {i}");
            await Assertions.Expect(page.Locator("#signin-error")).ToBeVisibleAsync();
        }
        // Locked: the right password is refused too.
        await SignInAsync(page, "lou", "lou password 12");
        await Assertions.Expect(page.Locator("#signin-error")).ToBeVisibleAsync();
        Assert.Contains("error=1", page.Url);
        Assert.Contains(await accounts.ListAsync(), u => u.UserName == "lou" && u.LockedOut);
        var last = (await fixture.Registry.GetRequiredService<AuditLog>().ListAsync()).First(e => e.Actor == "lou");
        Assert.Equal(AuditActions.SignInFailed, last.Action);
        Assert.Contains("locked out", last.Detail);
        await page.Context.CloseAsync();
    }
}
