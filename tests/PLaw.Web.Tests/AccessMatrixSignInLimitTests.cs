using System.Net;
using PLaw.Web.Tests.Infrastructure;
using static PLaw.Web.Tests.Infrastructure.SignInServer;

namespace PLaw.Web.Tests;

/// <summary>
/// Sign-in attempts are rate-limited per client address (issue #11): beyond <c>PLaw:Auth:SignInPermitPerMinute</c> the form
/// answers 429 without checking the password, so guessing is slow. Its own dashboard: the matrix's clients all sign in from
/// 127.0.0.1 and would use up the permits.
/// </summary>
public sealed class AccessMatrixSignInLimitTests
{
    [Fact]
    public async Task SignInAttemptsBeyondThePermitAreRefusedWith429()
    {
        await using var server = await DashboardServer.StartAsync(environment: new Dictionary<string, string>
        {
            ["PLaw__Auth__Mode"] = "SignIn",
            ["PLaw__Auth__BootstrapAdmin__Name"] = Admin,
            ["PLaw__Auth__BootstrapAdmin__Password"] = Password(Admin),
            ["PLaw__Auth__SignInPermitPerMinute"] = "3",
            ["PLaw__RunWorker"] = "false",
        });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri(server.BaseUrl),
        };
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var wrong = await SignInAsync(http, "nobody-here", "wrong-password-" + attempt);
            Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        }
        // The fourth attempt in the minute is refused even with the right password.
        using var limited = await SignInAsync(http, Admin, Password(Admin));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        using var whoami = await http.GetAsync("/api/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
    }
}
