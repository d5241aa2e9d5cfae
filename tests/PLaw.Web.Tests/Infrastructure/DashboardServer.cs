using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace PLaw.Web.Tests.Infrastructure;

/// <summary>
/// The real dashboard executable on a free loopback port with its own data folder (so its own SQLite registry file),
/// started the way a user starts it, stopped (or killed) by the test.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private DashboardServer(Process process, string baseUrl, string dataDirectory)
    {
        this.process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    public string BaseUrl { get; }
    public string DataDirectory { get; }
    public string RegistryPath => Path.Combine(DataDirectory, "registry.db");
    public string ImportRoot => Path.Combine(DataDirectory, "imports");

    public string Log
    {
        get { lock (log) return log.ToString(); }
    }

    public static async Task<DashboardServer> StartAsync(string? dataDirectory = null, IDictionary<string, string>? environment = null)
    {
        var directory = typeof(DashboardServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "WebAppDirectory").Value!;
        var executable = Path.Combine(directory, "PLaw.Web");
        if (!File.Exists(executable))
            throw new FileNotFoundException($"The dashboard is not built at {executable}.");
        dataDirectory ??= Directory.CreateTempSubdirectory("plaw-web-test-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo(executable, ["--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // An unpublished build serves its static web assets (blazor.web.js, MudBlazor, wwwroot) only in Development.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["PLaw__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("The dashboard did not start.");
        var server = new DashboardServer(process, $"http://127.0.0.1:{port}", dataDirectory);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The dashboard exited with code {process.ExitCode}:\n{Log}");
            try
            {
                var response = await http.GetAsync($"{BaseUrl}/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow first request
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The dashboard was not healthy within {timeout}:\n{Log}");
    }

    /// <summary>Ends the process at once, as a crash or power loss would.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        process.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
