using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Registry;
using PLaw.Registry.Accounts;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// The real dashboard in sign-in mode (as it runs on a shared address) with one account per role and API tokens of each
/// scope, shared by a test class: an HTTP client and a browser context per principal, and the registry file to compare
/// before and after. The run worker is off, so a queued run stays queued until a test changes it.
/// </summary>
public sealed partial class SignInServer : IAsyncLifetime
{
    public const string Anonymous = "anonymous", Viewer = "viewer", Member = "member", Admin = "admin";
    /// <summary>The admin's read token (its role is capped at Viewer), the member's write token, the viewer's write token.</summary>
    public const string TokenRead = "token-read", TokenWrite = "token-write", ViewerTokenWrite = "viewer-token-write";
    /// <summary>The member's worker token (reserved for remote workers; acts as a write token).</summary>
    public const string TokenWorker = "token-worker";
    /// <summary>A revoked token, an expired one, and a well-formed secret the registry never issued.</summary>
    public const string TokenRevoked = "token-revoked", TokenExpired = "token-expired", TokenUnknown = "token-unknown";

    public static readonly string[] Users = [Viewer, Member, Admin];

    /// <summary>Every principal, for the tables: who signs in with a cookie, who sends a bearer token, who sends nothing.</summary>
    public static readonly string[] Principals =
        [Anonymous, Viewer, Member, Admin, TokenRead, TokenWrite, TokenWorker, ViewerTokenWrite, TokenRevoked, TokenExpired, TokenUnknown];

    /// <summary>The principals whose token the dashboard accepts.</summary>
    public static bool IsValidToken(string principal) => principal is TokenRead or TokenWrite or TokenWorker or ViewerTokenWrite;

    public static string Password(string user) => $"{user}-password-for-tests";

    private readonly BrowserFixture browser = new();
    private readonly Dictionary<string, string> secrets = [];
    private readonly Dictionary<string, (HttpClient Client, CookieContainer Cookies)> clients = [];
    private readonly Dictionary<string, IBrowserContext> contexts = [];
    private readonly SemaphoreSlim contextLock = new(1, 1);

    public DashboardServer Server { get; private set; } = default!;
    public ServiceProvider Registry { get; private set; } = default!;
    public IBrowser Browser => browser.Browser;

    public async Task InitializeAsync()
    {
        var start = browser.InitializeAsync();
        Server = await DashboardServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["PLaw__Auth__Mode"] = "SignIn",
            ["PLaw__Auth__BootstrapAdmin__Name"] = Admin,
            ["PLaw__Auth__BootstrapAdmin__Password"] = Password(Admin),
            // Every client here signs in from 127.0.0.1; the limit itself has its own test and server.
            ["PLaw__Auth__SignInPermitPerMinute"] = "1000",
            ["PLaw__RunWorker"] = "false",
        });
        Registry = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Server.RegistryPath).BuildServiceProvider();
        // The accounts services need their own provider: AddPLawAccounts brings Identity's options and stores.
        var accountServices = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(Server.RegistryPath);
        accountServices.AddPLawAccounts();
        accounts = accountServices.BuildServiceProvider();

        var users = accounts.GetRequiredService<UserAccounts>();
        await users.CreateAsync(Viewer, Roles.Viewer, Password(Viewer));
        await users.CreateAsync(Member, Roles.Member, Password(Member));
        var tokens = accounts.GetRequiredService<ApiTokens>();
        secrets[TokenRead] = (await tokens.CreateAsync(Admin, "matrix read", TokenScope.Read, null)).Secret;
        secrets[TokenWrite] = (await tokens.CreateAsync(Member, "matrix write", TokenScope.Write, null)).Secret;
        secrets[ViewerTokenWrite] = (await tokens.CreateAsync(Viewer, "viewer write", TokenScope.Write, null)).Secret;
        secrets[TokenWorker] = (await tokens.CreateAsync(Member, "matrix worker", TokenScope.Worker, null)).Secret;
        // Expired: made with a future expiry (the only kind CreateAsync takes), then its expiry moved into the past.
        var (expired, expiredSecret) = await tokens.CreateAsync(Member, "matrix expired", TokenScope.Write, DateTime.UtcNow.AddDays(1));
        await using (var db = await accounts.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync())
            await db.ApiTokens.Where(t => t.Id == expired.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresUtc, DateTime.UtcNow.AddDays(-1)));
        secrets[TokenExpired] = expiredSecret;
        var (revoked, revokedSecret) = await tokens.CreateAsync(Member, "matrix revoked", TokenScope.Write, null);
        await tokens.RevokeAsync(revoked.Id, null);
        secrets[TokenRevoked] = revokedSecret;
        secrets[TokenUnknown] = ApiTokens.SecretPrefix + new string('x', 40);
        await start;
    }

    private ServiceProvider accounts = default!;

    public T Accounts<T>() where T : notnull => accounts.GetRequiredService<T>();

    public static bool IsToken(string principal) => principal.StartsWith("token", StringComparison.Ordinal) || principal == ViewerTokenWrite;

    public string Secret(string tokenPrincipal) => secrets[tokenPrincipal];

    public Uri Url(string path) => new($"{Server.BaseUrl}{path}");

    /// <summary>
    /// An HTTP client that follows no redirects, as <paramref name="principal"/>: signed in through the sign-in form (cookie),
    /// sending its bearer token, or sending nothing. One per principal, kept for the class.
    /// </summary>
    public async Task<HttpClient> HttpAsync(string principal)
    {
        if (clients.TryGetValue(principal, out var known)) return known.Client;
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = new Uri(Server.BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (IsToken(principal))
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets[principal]);
        else if (principal != Anonymous)
        {
            using var response = await SignInAsync(client, principal, Password(principal));
            if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) != false)
                throw new InvalidOperationException($"Signing in as {principal} answered {(int)response.StatusCode} {response.Headers.Location}.\n{Server.Log}");
        }
        clients[principal] = (client, cookies);
        return client;
    }

    /// <summary>The cookies a cookie principal signed in with (for the hub client).</summary>
    public CookieContainer Cookies(string principal) => clients[principal].Cookies;

    /// <summary>
    /// Posts the sign-in page's own form (its antiforgery token and hidden fields included) with <paramref name="name"/> and
    /// <paramref name="password"/> in the inputs <c>#signin-name</c> and <c>#signin-password</c>; the response is not followed.
    /// </summary>
    /// <param name="postedReturnUrl">Posted in place of the form's own <c>returnUrl</c> field, as a hand-made request would.</param>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string name, string password, string returnUrl = "/",
        string? postedReturnUrl = null)
    {
        var html = await client.GetStringAsync($"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var form = FormPattern().Matches(html).Select(m => m.Value).FirstOrDefault(f => f.Contains("signin-name", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"The sign-in page has no form with #signin-name:\n{html}");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in InputPattern().Matches(form))
        {
            var tag = input.Value;
            var fieldName = Attribute(tag, "name");
            if (fieldName is null) continue;
            var id = Attribute(tag, "id");
            var value = id switch
            {
                "signin-name" => name,
                "signin-password" => password,
                _ when fieldName == "returnUrl" && postedReturnUrl is not null => postedReturnUrl,
                _ => Attribute(tag, "type") == "hidden" ? WebUtility.HtmlDecode(Attribute(tag, "value") ?? "") : null,
            };
            if (value is not null) fields.Add(new(fieldName, value));
        }
        var action = WebUtility.HtmlDecode(Attribute(FormTagPattern().Match(form).Value, "action") ?? "/account/signin");
        if (action.Length == 0) action = $"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}";
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>The hidden fields (its antiforgery token) of the form on <paramref name="path"/> whose markup contains <paramref name="formContains"/>.</summary>
    public static async Task<List<KeyValuePair<string, string>>> HiddenFieldsAsync(HttpClient client, string path, string formContains)
    {
        var html = await client.GetStringAsync(path);
        var form = FormPattern().Matches(html).Select(m => m.Value).FirstOrDefault(f => f.Contains(formContains, StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"{path} has no form containing {formContains}:\n{html}");
        return InputPattern().Matches(form).Select(m => m.Value).Where(t => Attribute(t, "type") == "hidden" && Attribute(t, "name") is not null)
            .Select(t => new KeyValuePair<string, string>(Attribute(t, "name")!, WebUtility.HtmlDecode(Attribute(t, "value") ?? ""))).ToList();
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $@"\s{name}\s*=\s*(""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>]+))", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["v"].Value : null;
    }

    [GeneratedRegex(@"<form\b.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<form\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTagPattern();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    /// <summary>
    /// A page of the dashboard open in <paramref name="principal"/>'s browser context, interactive. Each user signs in through
    /// the sign-in page once; later pages reuse the context's cookie, as a person's browser does.
    /// </summary>
    public async Task<IPage> OpenAsync(string principal, string path, bool interactive = true)
    {
        var context = await ContextAsync(principal);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(path);
        if (interactive) await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return page;
    }

    private async Task<IBrowserContext> ContextAsync(string principal)
    {
        await contextLock.WaitAsync();
        try
        {
            if (contexts.TryGetValue(principal, out var known)) return known;
            var context = await Browser.NewContextAsync(new() { BaseURL = Server.BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
            if (principal != Anonymous)
            {
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(30_000);
                await page.GotoAsync("/account/signin?returnUrl=%2F");
                await page.Locator("#signin-name").FillAsync(principal);
                await page.Locator("#signin-password").FillAsync(Password(principal));
                await page.Locator("#signin-submit").ClickAsync();
                await page.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
                await page.CloseAsync();
            }
            contexts[principal] = context;
            return context;
        }
        finally
        {
            contextLock.Release();
        }
    }

    /// <summary>
    /// What a forbidden action must leave alone: row counts of every table that holds work or accounts, each run's status
    /// and each dataset's deletion mark. The audit trail is left out: refusals and sign-ins may be recorded there.
    /// </summary>
    public string Snapshot()
    {
        string[] tables = ["Datasets", "DatasetSequences", "EntropyReports", "Studies", "Runs", "MetricPoints", "EntropySweeps",
            "AspNetUsers", "AspNetUserRoles", "ApiTokens"];
        var counts = tables.Select(t => $"{t}={RegistryFile.Scalar<long>(Server.RegistryPath, $"SELECT COUNT(*) FROM {t}")}");
        var runs = RegistryFile.Strings(Server.RegistryPath, "SELECT Id || ':' || Status || ':' || Tags FROM Runs ORDER BY Id");
        var datasets = RegistryFile.Strings(Server.RegistryPath, "SELECT Id || ':' || COALESCE(DeletedUtc, '-') FROM Datasets ORDER BY Id");
        var users = RegistryFile.Strings(Server.RegistryPath,
            "SELECT u.UserName || ':' || COALESCE(u.LockoutEnd, '-') || ':' || COALESCE(r.Name, '-') FROM AspNetUsers u " +
            "LEFT JOIN AspNetUserRoles ur ON ur.UserId = u.Id LEFT JOIN AspNetRoles r ON r.Id = ur.RoleId ORDER BY u.UserName, r.Name");
        var tokens = RegistryFile.Strings(Server.RegistryPath, "SELECT Id || ':' || COALESCE(RevokedUtc, '-') FROM ApiTokens ORDER BY Id");
        return string.Join("\n", [.. counts, "runs " + string.Join(" ", runs), "datasets " + string.Join(" ", datasets),
            "users " + string.Join(" ", users), "tokens " + string.Join(" ", tokens)]);
    }

    public async Task DisposeAsync()
    {
        foreach (var (client, _) in clients.Values) client.Dispose();
        foreach (var context in contexts.Values) await context.CloseAsync();
        await browser.DisposeAsync();
        if (Registry is not null) await Registry.DisposeAsync();
        if (accounts is not null) await accounts.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
        contextLock.Dispose();
    }
}
