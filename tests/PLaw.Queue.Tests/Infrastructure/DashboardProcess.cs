using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>
/// The real dashboard executable (build src/PLaw.Web first) on a free loopback port, with its own data folder and the
/// configuration a test gives it (PLaw__… environment variables), killed at dispose. For tests where workers join it.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    /// <summary>Beside the CLI that <see cref="WorkerProcess"/> runs: src/PLaw.Web/bin/{configuration}/{framework}/PLaw.Web.</summary>
    public static string Executable { get; } = WebExecutable();

    private DashboardProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string Log { get { lock (log) return log.ToString(); } }

    public static async Task<DashboardProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        Assert.True(File.Exists(Executable), $"The dashboard is not built at {Executable}: build src/PLaw.Web first.");
        var port = FreePort();
        var start = new ProcessStartInfo(Executable, ["--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(Executable)!, RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PLaw__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var server = new DashboardProcess(Process.Start(start)!, $"http://127.0.0.1:{port}");
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    /// <summary>Until /healthz answers 200; the bound only turns a dashboard that never comes up into a failure.</summary>
    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail($"The dashboard exited with code {process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        Assert.Fail($"The dashboard was not healthy within two minutes:\n{Log}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string WebExecutable()
    {
        var cli = new DirectoryInfo(Path.GetDirectoryName(WorkerProcess.Executable)!);
        // …/src/PLaw.Cli/bin/{configuration}/{framework}/
        var (framework, configuration, src) = (cli.Name, cli.Parent!.Name, cli.Parent.Parent!.Parent!.Parent!.FullName);
        return Path.Combine(src, "PLaw.Web", "bin", configuration, framework, "PLaw.Web");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
