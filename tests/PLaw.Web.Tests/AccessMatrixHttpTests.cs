using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Registry.Accounts;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;
using static PLaw.Web.Tests.Infrastructure.SignInServer;

namespace PLaw.Web.Tests;

/// <summary>
/// The access matrix over HTTP (issue #11): every principal (anonymous, each role signed in with a cookie, tokens of each
/// scope, a revoked and an unknown token) × every HTTP endpoint, through the real dashboard in sign-in mode. Allowed requests
/// answer; forbidden ones are refused with 401 (who are you?) or 403 (not you), pages redirect to the sign-in page, and a
/// refused request leaves the registry as it was.
/// </summary>
[Collection(AccessMatrixCollection.Name)]
public sealed class AccessMatrixHttpTests(SignInServer server)
{
    private enum Access { Open, Read, Write, Page }

    /// <summary>Each endpoint and what it needs. <c>{run}</c> is a finished run with metric rows; POSTs get a run of their own.</summary>
    private static readonly (string Method, string Path, Access Needs)[] Endpoints =
    [
        ("GET", "/healthz", Access.Open),
        ("GET", "/account/signin", Access.Open),
        ("GET", "/", Access.Page),
        ("GET", "/runs/{run}", Access.Page),
        ("GET", "/datasets", Access.Page),
        ("GET", "/api/whoami", Access.Read),
        ("GET", "/api/runs.json", Access.Read),
        ("GET", "/api/runs.csv", Access.Read),
        ("GET", "/api/runs/{run}", Access.Read),
        ("GET", "/api/runs/{run}/metrics.json", Access.Read),
        ("GET", "/api/runs/{run}/metrics.csv", Access.Read),
        ("GET", "/api/metrics.json?runs={run}", Access.Read),
        ("GET", "/api/metrics.csv?runs={run}", Access.Read),
        ("GET", "/api/audit.json", Access.Read),
        ("GET", "/api/audit.csv?run={run}", Access.Read),
        ("POST", "/api/runs/{run}/cancel", Access.Write),
        ("POST", "/api/runs/{run}/requeue", Access.Write),
    ];

    /// <summary>What each principal gets (any of these answers): the whole matrix is these few rules.</summary>
    private static HttpStatusCode[] Expected(string principal, Access needs)
    {
        var signedIn = Users.Contains(principal);
        var validToken = IsValidToken(principal);
        return needs switch
        {
            Access.Open => [HttpStatusCode.OK],
            // Pages are for people: nothing at all is sent to the sign-in page; a token (meant for /api and the hub) gets no
            // page either, by a redirect or a plain 401.
            // ("/" itself redirects a signed-in user on to /datasets.)
            Access.Page => signedIn ? [HttpStatusCode.OK, HttpStatusCode.Redirect]
                : principal == Anonymous ? [HttpStatusCode.Redirect] : [HttpStatusCode.Redirect, HttpStatusCode.Unauthorized],
            Access.Read => signedIn || validToken ? [HttpStatusCode.OK] : [HttpStatusCode.Unauthorized],
            // POSTs to /api take a token only (a cookie would make them forgeable), of scope Write, from a Member or above.
            Access.Write => principal is TokenWrite or TokenWorker ? [HttpStatusCode.OK]
                : signedIn || validToken ? [HttpStatusCode.Forbidden] : [HttpStatusCode.Unauthorized],
            _ => throw new ArgumentOutOfRangeException(nameof(needs)),
        };
    }

    public static TheoryData<string, string, string> Rows()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var principal in Principals)
            foreach (var (method, path, _) in Endpoints)
                rows.Add(principal, method, path);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task EachPrincipalGetsExactlyWhatItsRoleAndScopeAllow(string principal, string method, string pathTemplate)
    {
        var needs = Endpoints.Single(e => e.Method == method && e.Path == pathTemplate).Needs;
        var expected = Expected(principal, needs);
        var http = await server.HttpAsync(principal);
        var run = method == "POST" ? await RunForAsync(pathTemplate) : await FinishedRunAsync();
        var path = pathTemplate.Replace("{run}", run.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var before = server.Snapshot();
        var statusBefore = Status(run);

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode),
            $"{principal} {method} {path}: expected {string.Join(" or ", expected.Select(e => $"{(int)e} {e}"))}, got {(int)response.StatusCode} {response.StatusCode} " +
            $"{response.Headers.Location}\n{body[..Math.Min(body.Length, 400)]}");
        if (response.StatusCode == HttpStatusCode.Redirect && Users.Contains(principal))
            Assert.False(LocalPart(response.Headers.Location!).StartsWith("/account/", StringComparison.Ordinal),
                $"{principal} GET {path} was sent to {response.Headers.Location}.");
        else if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = LocalPart(response.Headers.Location!);
            Assert.StartsWith("/account/signin?returnUrl=", location, StringComparison.Ordinal);
            Assert.Equal(path, Uri.UnescapeDataString(location["/account/signin?returnUrl=".Length..]));
        }
        if (response.StatusCode == HttpStatusCode.OK && method == "POST")
        {
            Assert.Equal(pathTemplate.EndsWith("/cancel", StringComparison.Ordinal) ? "Cancelled" : "Queued", Status(run));
            var action = pathTemplate.EndsWith("/cancel", StringComparison.Ordinal) ? AuditActions.Cancelled : AuditActions.Requeued;
            Assert.True(RegistryFile.Scalar<long>(server.Server.RegistryPath,
                    $"SELECT COUNT(*) FROM AuditEntries WHERE Actor = 'member' AND SubjectId = {run} AND Action = '{action}'") == 1,
                $"{principal} {method} {path} is not in the audit trail under the token owner's name.");
        }
        else
        {
            Assert.Equal(statusBefore, Status(run));
            Assert.Equal(before, server.Snapshot());
        }
    }

    public static TheoryData<string, string, string, string> WhoAmIRows() => new()
    {
        { Viewer, "Viewer", "cookie", "" },
        { Member, "Member", "cookie", "" },
        { Admin, "Admin", "cookie", "" },
        { TokenRead, "Viewer", "token", "read" },   // the admin's token, capped at Viewer by its scope
        { TokenWrite, "Member", "token", "write" },
        { TokenWorker, "Member", "token", "worker" },
        { ViewerTokenWrite, "Viewer", "token", "write" },
    };

    [Theory]
    [MemberData(nameof(WhoAmIRows))]
    public async Task WhoAmIAnswersTheNameRoleAndSchemeOfTheCaller(string principal, string role, string scheme, string scope)
    {
        var http = await server.HttpAsync(principal);
        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/whoami"));
        var root = json.RootElement;
        var owner = principal switch { TokenRead => Admin, TokenWrite or TokenWorker => Member, ViewerTokenWrite => Viewer, _ => principal };
        Assert.Equal(owner, root.GetProperty("name").GetString());
        Assert.Equal(role, root.GetProperty("role").GetString());
        Assert.Equal("signin", root.GetProperty("mode").GetString());
        Assert.Equal(scheme, root.GetProperty("scheme").GetString());
        if (scope.Length > 0) Assert.Equal(scope, root.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task AWrongPasswordSignsNobodyInAndSaysSo()
    {
        using var http = NewClient();
        using var response = await SignInAsync(http, Member, "not-the-password-at-all");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=1", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var whoami = await http.GetAsync("/api/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
        var page = await http.GetStringAsync(LocalPart(response.Headers.Location));
        Assert.Contains("Wrong user name or password, or the account is locked.", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://evil.example/steal", false)]
    [InlineData("//evil.example/steal", false)]
    [InlineData("/\\evil.example/steal", false)]
    [InlineData("http://evil.example/steal", true)]
    [InlineData("//evil.example/steal", true)]
    [InlineData("/\\evil.example/steal", true)]
    public async Task SigningInReturnsOnlyToAPageOfTheDashboard(string returnUrl, bool posted)
    {
        // Through the sign-in page's link (the page fills the form's field), or posted as is by a hand-made request.
        using var http = NewClient();
        using var response = posted
            ? await SignInAsync(http, Viewer, Password(Viewer), postedReturnUrl: returnUrl)
            : await SignInAsync(http, Viewer, Password(Viewer), returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.Host == "127.0.0.1", $"Redirected off the dashboard to {location}.");
        Assert.DoesNotContain("evil.example", location.IsAbsoluteUri ? location.Authority : location.OriginalString.Split('?')[0], StringComparison.Ordinal);
        using var whoami = await http.GetAsync("/api/whoami");
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
    }

    [Fact]
    public async Task TheSignInFormRefusesAPostWithoutItsAntiforgeryToken()
    {
        using var http = NewClient();
        using var response = await http.PostAsync("/account/signin", new FormUrlEncodedContent(
            [new("Input.Name", Viewer), new("Input.Password", Password(Viewer)), new("UserName", Viewer), new("Password", Password(Viewer))]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var whoami = await http.GetAsync("/api/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheCookieSession()
    {
        using var http = NewClient();
        using (var signIn = await SignInAsync(http, Viewer, Password(Viewer))) Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using (var whoami = await http.GetAsync("/api/whoami")) Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);

        var fields = await HiddenFieldsAsync(http, "/runs", "/account/signout");
        using var signOut = await http.PostAsync("/account/signout", new FormUrlEncodedContent(fields));
        Assert.True(signOut.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"Sign-out answered {(int)signOut.StatusCode}.");

        using (var whoami = await http.GetAsync("/api/whoami")) Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
        using var page = await http.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    private HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = new Uri(server.Server.BaseUrl),
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static string LocalPart(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private string Status(int run) => RegistryFile.Scalar<string>(server.Server.RegistryPath, $"SELECT Status FROM Runs WHERE Id = {run}");

    private static int finishedRun;

    /// <summary>A cancelled run (the worker is off), made once for the class.</summary>
    private async Task<int> FinishedRunAsync()
    {
        if (finishedRun > 0 && RegistryFile.Scalar<long>(server.Server.RegistryPath, $"SELECT COUNT(*) FROM Runs WHERE Id = {finishedRun}") == 1)
            return finishedRun;
        var id = await QueueAsync();
        await server.Registry.GetRequiredService<RunCatalog>().CancelAsync(id);
        return finishedRun = id;
    }

    /// <summary>A run of its own for a POST row: queued for <c>cancel</c>, cancelled for <c>requeue</c>.</summary>
    private async Task<int> RunForAsync(string pathTemplate)
    {
        var id = await QueueAsync();
        if (pathTemplate.EndsWith("/requeue", StringComparison.Ordinal))
            await server.Registry.GetRequiredService<RunCatalog>().CancelAsync(id);
        return id;
    }

    private async Task<int> QueueAsync()
    {
        var demo = (await server.Registry.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var run = await server.Registry.GetRequiredService<RunCatalog>().QueueAsync(demo.Id,
            new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32 });
        return run.Id;
    }
}
