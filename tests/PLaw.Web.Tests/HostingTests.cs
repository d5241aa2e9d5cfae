using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>
/// Where the real dashboard listens and how it says so (issue #9 item 1), and the Docker image's HEALTHCHECK command run
/// against a real dashboard (item 11), without a Docker engine.
/// </summary>
public sealed class HostingTests
{
    private static string Metadata(string key) =>
        typeof(HostingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string WebAppDirectory => Metadata("WebAppDirectory");
    private static string RepoRoot => Metadata("RepoRoot");

    /// <summary>A process with its output collected line by line; killed (with its children) on dispose.</summary>
    private sealed class Started : IAsyncDisposable
    {
        private readonly StringBuilder log = new();
        public required Process Process { get; init; }

        public string Log { get { lock (log) return log.ToString(); } }

        public static Started Run(string fileName, IEnumerable<string> args, string workingDirectory, IDictionary<string, string?> environment)
        {
            var start = new ProcessStartInfo(fileName, args)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // Only what the test sets says where to listen.
            foreach (var key in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "HTTP_PORTS" })
                start.Environment.Remove(key);
            start.Environment["PLaw__DataDirectory"] = Directory.CreateTempSubdirectory("plaw-hosting-test-").FullName;
            start.Environment["PLaw__SeedDemoData"] = "false";
            foreach (var (key, value) in environment)
                start.Environment[key] = value;
            var started = new Started { Process = Process.Start(start)! };
            started.Process.OutputDataReceived += (_, e) => started.Append(e.Data);
            started.Process.ErrorDataReceived += (_, e) => started.Append(e.Data);
            started.Process.BeginOutputReadLine();
            started.Process.BeginErrorReadLine();
            return started;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (log) log.AppendLine(line);
        }

        /// <summary>Waits until a line matches, or the process ends, or the time is up; returns the line or null.</summary>
        public async Task<string?> WaitForLineAsync(Regex pattern, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var match = Log.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(pattern.IsMatch);
                if (match is not null) return match;
                if (Process.HasExited)
                {
                    await Task.Delay(200); // the last lines
                    return Log.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(pattern.IsMatch);
                }
                await Task.Delay(200);
            }
            return null;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

    private static Started StartDashboard(IDictionary<string, string?> environment, params string[] args) =>
        Started.Run(Path.Combine(WebAppDirectory, "PLaw.Web"), args, WebAppDirectory,
            new Dictionary<string, string?>(environment) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

    private static readonly Regex Listening = new(@"^PLawDashboard listening on (\S+)");

    private static async Task AssertListensAsync(Started dashboard, string url)
    {
        var line = await dashboard.WaitForLineAsync(Listening, TimeSpan.FromSeconds(120));
        Assert.True(line is not null, $"no 'PLawDashboard listening on' line:\n{dashboard.Log}");
        Assert.Equal($"PLawDashboard listening on {url}", line);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal("Healthy", await http.GetStringAsync($"{url}/healthz"));
    }

    [Fact]
    public async Task AspNetCoreUrlsIsHonouredAndPrinted()
    {
        var url = $"http://127.0.0.1:{DashboardServer.FreePort()}";
        await using var dashboard = StartDashboard(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = url });
        await AssertListensAsync(dashboard, url);
    }

    [Fact]
    public async Task TheUrlsFlagIsHonouredAndPrintedAndWinsOverTheEnvironment()
    {
        var url = $"http://127.0.0.1:{DashboardServer.FreePort()}";
        await using var dashboard = StartDashboard(
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{DashboardServer.FreePort()}" }, "--urls", url);
        await AssertListensAsync(dashboard, url);
    }

    [Fact]
    public async Task WithoutAnAddressItListensOn127001Port5080()
    {
        await using var dashboard = StartDashboard(new Dictionary<string, string?>());
        var line = await dashboard.WaitForLineAsync(new Regex("PLawDashboard listening on|address already in use", RegexOptions.IgnoreCase),
            TimeSpan.FromSeconds(120));
        Assert.True(line is not null, dashboard.Log);
        // Another dashboard on this machine may hold 5080; then the failure names the address this one tried.
        if (line.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            Assert.Contains("127.0.0.1:5080", dashboard.Log);
        else
            Assert.Equal("PLawDashboard listening on http://127.0.0.1:5080", line);
    }

    [Fact]
    public async Task DotnetRunHonoursAspNetCoreUrlsOverTheLaunchProfile()
    {
        // The README's `dotnet run --project src/PLaw.Web`, on the build the tests use: the launch profile applies, and used
        // to replace ASPNETCORE_URLS with its applicationUrl.
        var configuration = new DirectoryInfo(WebAppDirectory.TrimEnd('/')).Parent!.Name; // bin/<configuration>/net10.0
        var url = $"http://127.0.0.1:{DashboardServer.FreePort()}";
        await using var run = Started.Run("dotnet", ["run", "--no-build", "-c", configuration, "--project", "src/PLaw.Web"], RepoRoot,
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = url, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });
        await AssertListensAsync(run, url);
        Assert.Contains("launchSettings.json", run.Log); // it did run with the launch profile
    }

    [Fact]
    public async Task EveryInterfaceIsPrintedWithTheAddressToOpen()
    {
        var port = DashboardServer.FreePort();
        // The Docker image's way: ASPNETCORE_HTTP_PORTS, every interface.
        // Every interface requires sign-in and an admin (issue #11): one from configuration.
        await using var dashboard = StartDashboard(new Dictionary<string, string?>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(),
            ["PLaw__Auth__BootstrapAdmin__Name"] = "admin",
            ["PLaw__Auth__BootstrapAdmin__Password"] = "hosting test password",
        });
        var line = await dashboard.WaitForLineAsync(Listening, TimeSpan.FromSeconds(120));
        Assert.Equal($"PLawDashboard listening on http://[::]:{port} (every interface; on this machine open http://localhost:{port})", line);
    }

    /// <summary>The Dockerfile's HEALTHCHECK in exec form, and the instructions it must agree with.</summary>
    private sealed record DockerImage(string[] HealthCheck, string[] Entrypoint, string HttpPorts, string Expose, string[] From);

    private static DockerImage ReadDockerfile()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot, "src", "PLaw.Web", "Dockerfile"));
        // Join continuation lines, drop comments.
        var lines = Regex.Replace(text, @"\\\r?\n\s*", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        string[] ExecForm(string instruction, string line)
        {
            var json = line[(line.IndexOf(instruction, StringComparison.Ordinal) + instruction.Length)..].Trim();
            Assert.True(json.StartsWith('['), $"{instruction} is not in exec form (a shell would run it): {line}");
            return JsonSerializer.Deserialize<string[]>(json)!;
        }
        var health = lines.Single(l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        var entry = lines.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        var env = string.Join(' ', lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)));
        return new DockerImage(
            ExecForm(" CMD ", health),
            ExecForm("ENTRYPOINT ", entry),
            Regex.Match(env, @"ASPNETCORE_HTTP_PORTS=(\d+)").Groups[1].Value,
            lines.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))["EXPOSE ".Length..].Trim(),
            lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToArray());
    }

    [Fact]
    public void TheImageRunsOnAspNetCore10AndItsHealthCheckProbesTheDashboardItStarts()
    {
        var image = ReadDockerfile();
        // Ubuntu 24.04 images: libstdc++ with GLIBCXX_3.4.32, so the torch backend's shim loads unpatched (docs/torch.md).
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0-noble", "mcr.microsoft.com/dotnet/aspnet:10.0-noble"], image.From);
        Assert.Equal("dotnet", image.Entrypoint[0]);
        // The probe is the image's own program: `dotnet` and the dll the ENTRYPOINT runs, on the port the image listens on.
        Assert.Equal([.. image.Entrypoint, "--healthcheck"], image.HealthCheck[..3]);
        Assert.Equal("8080", image.HttpPorts);
        Assert.Equal("8080", image.Expose);
        Assert.Equal($"http://127.0.0.1:{image.HttpPorts}/healthz", image.HealthCheck[3]);
    }

    /// <summary>The HEALTHCHECK command as the image runs it, with the image's /app as this build's output and its port as <paramref name="port"/>.</summary>
    private static async Task<(int ExitCode, string Output, TimeSpan Took)> RunHealthCheckAsync(int port)
    {
        var command = ReadDockerfile().HealthCheck;
        var args = command.Skip(1).Select(a => a
            .Replace("/app/", WebAppDirectory.TrimEnd('/') + "/", StringComparison.Ordinal)
            .Replace("127.0.0.1:8080", $"127.0.0.1:{port}", StringComparison.Ordinal)).ToArray();
        var clock = Stopwatch.StartNew();
        await using var probe = Started.Run(command[0], args, WebAppDirectory, new Dictionary<string, string?>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await probe.Process.WaitForExitAsync(timeout.Token);
        await Task.Delay(100);
        return (probe.Process.ExitCode, probe.Log, clock.Elapsed);
    }

    [Fact]
    public async Task TheHealthCheckCommandPassesAgainstARunningDashboard()
    {
        await using var server = await DashboardServer.StartAsync();
        var (exitCode, output, _) = await RunHealthCheckAsync(new Uri(server.BaseUrl).Port);
        Assert.True(exitCode == 0, output);
        Assert.Contains("200 Healthy", output);
    }

    [Fact]
    public async Task TheHealthCheckCommandFailsOnAClosedPortWithinDockersTimeout()
    {
        var (exitCode, output, took) = await RunHealthCheckAsync(DashboardServer.FreePort());
        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
    }

    [Fact]
    public async Task TheHealthCheckCommandFailsWhenTheDashboardAnswersUnhealthy()
    {
        // What /healthz answers when the registry does not: 503 "Unhealthy".
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nUnhealthy"u8.ToArray());
        });
        var (exitCode, output, _) = await RunHealthCheckAsync(port);
        await serve;
        Assert.True(exitCode == 1, $"exit {exitCode}: {output}");
        Assert.Contains("503 Unhealthy", output);
    }
}
