using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// Safe defaults (issue #11): on loopback the dashboard is in Local mode (no sign-in); on any other address it requires
/// sign-in and refuses to start without an admin; Local mode on such an address refuses to start.
/// </summary>
public sealed class AuthModeTests
{
    private static string WebAppDirectory => typeof(AuthModeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebAppDirectory").Value!;

    /// <summary>The dashboard on every interface (<c>--urls http://0.0.0.0:port</c>), its output collected; killed on dispose.</summary>
    private sealed class OpenDashboard : IAsyncDisposable
    {
        private readonly StringBuilder log = new();
        public Process Process { get; }
        public int Port { get; } = DashboardServer.FreePort();
        public string Log { get { lock (log) return log.ToString(); } }

        public OpenDashboard(IDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(Path.Combine(WebAppDirectory, "PLaw.Web"), ["--urls", $"http://0.0.0.0:{Port}"])
            {
                WorkingDirectory = WebAppDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["PLaw__DataDirectory"] = Directory.CreateTempSubdirectory("plaw-authmode-test-").FullName;
            start.Environment["PLaw__SeedDemoData"] = "false";
            foreach (var (key, value) in environment) start.Environment[key] = value;
            Process = Process.Start(start)!;
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public async Task<int> ExitCodeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await Process.WaitForExitAsync(timeout.Token);
            return Process.ExitCode;
        }

        public async Task WaitUntilHealthyAsync()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (DateTime.UtcNow < deadline)
            {
                Assert.False(Process.HasExited, $"The dashboard exited with code {(Process.HasExited ? Process.ExitCode : 0)}:\n{Log}");
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{Port}/healthz")).StatusCode == HttpStatusCode.OK) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // not listening yet
                }
                await Task.Delay(200);
            }
            throw new TimeoutException($"Not healthy:\n{Log}");
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

    [Fact]
    public async Task OnLoopbackItIsLocalModeWithNoSignIn()
    {
        await using var server = await DashboardServer.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        var whoami = JsonDocument.Parse(await http.GetStringAsync("/api/whoami")).RootElement;
        Assert.Equal("local", whoami.GetProperty("name").GetString());
        Assert.Equal("Admin", whoami.GetProperty("role").GetString());
        Assert.Equal("local", whoami.GetProperty("mode").GetString());
        Assert.Equal("local", whoami.GetProperty("scheme").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/runs")).StatusCode);
        // The API's POSTs work without a token here (the run does not exist: 404), but not from another site's page.
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/runs/999999/cancel", null)).StatusCode);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/runs/999999/cancel") { Headers = { { "Origin", "http://evil.example" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite)).StatusCode);

        await using var browser = new BrowserFixture();
        await browser.InitializeAsync();
        var page = await browser.OpenAsync(server.BaseUrl, "/datasets");
        await Assertions.Expect(page.Locator("#auth-state")).ToHaveTextAsync("Local mode (single user)");
        await Assertions.Expect(page.Locator("#signout")).ToHaveCountAsync(0);
        await browser.DisposeAsync();
    }

    [Fact]
    public async Task OnEveryInterfaceWithoutAnAdminItRefusesToStartAndSaysHowToCreateOne()
    {
        await using var dashboard = new OpenDashboard(new Dictionary<string, string>());
        Assert.Equal(1, await dashboard.ExitCodeAsync());
        await Task.Delay(200); // the last lines
        Assert.Contains("plaw users add NAME --role admin", dashboard.Log);
        Assert.Contains("PLaw__Auth__BootstrapAdmin__Name", dashboard.Log);
        Assert.Contains("PLaw__Auth__BootstrapAdmin__PasswordFile", dashboard.Log);
        Assert.DoesNotContain("PLawDashboard listening on", dashboard.Log);
    }

    [Fact]
    public async Task OnEveryInterfaceWithABootstrapAdminItStartsAndRequiresSignIn()
    {
        var secret = Path.GetTempFileName();
        await File.WriteAllTextAsync(secret, "a long enough password\n");
        await using var dashboard = new OpenDashboard(new Dictionary<string, string>
        {
            ["PLaw__Auth__BootstrapAdmin__Name"] = "root",
            ["PLaw__Auth__BootstrapAdmin__PasswordFile"] = secret,
        });
        await dashboard.WaitUntilHealthyAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{dashboard.Port}") };
        var page = await http.GetAsync("/runs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/signin?returnUrl=%2Fruns", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/hubs/runs/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/account/signin")).StatusCode);

        // The password came from the file, without its newline: the form signs in with it.
        await using var browser = new BrowserFixture();
        await browser.InitializeAsync();
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = $"http://127.0.0.1:{dashboard.Port}" });
        var signIn = await context.NewPageAsync();
        await signIn.GotoAsync("/account/signin?returnUrl=%2Fdatasets");
        await signIn.Locator("#signin-name").FillAsync("root");
        await signIn.Locator("#signin-password").FillAsync("a long enough password");
        await signIn.Locator("#signin-submit").ClickAsync();
        await Assertions.Expect(signIn.Locator("#auth-state")).ToHaveTextAsync("root · Admin");
        await browser.DisposeAsync();
        File.Delete(secret);
    }

    [Fact]
    public async Task LocalModeOnEveryInterfaceRefusesToStart()
    {
        await using var dashboard = new OpenDashboard(new Dictionary<string, string> { ["PLaw__Auth__Mode"] = "Local" });
        Assert.Equal(1, await dashboard.ExitCodeAsync());
        await Task.Delay(200);
        Assert.Contains("PLaw:Auth:Mode is Local", dashboard.Log);
        Assert.Contains("0.0.0.0", dashboard.Log);
        Assert.DoesNotContain("PLawDashboard listening on", dashboard.Log);
    }
}
