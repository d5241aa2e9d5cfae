using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>
/// The real dashboard executable (build src/PLaw.Web first), started with the given arguments and configuration (PLaw__…
/// environment variables), its output collected, killed at dispose. For tests where workers and other processes share its
/// registry.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    public static string Directory { get; } = typeof(DashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebDirectory").Value!;

    public static string Executable => Path.Combine(Directory, "PLaw.Web");

    public DashboardProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? baseUrl = null)
    {
        Assert.True(File.Exists(Executable), $"The dashboard is not built at {Executable}: build src/PLaw.Web first.");
        var start = new ProcessStartInfo(Executable, arguments)
        {
            WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        process = Process.Start(start)!;
        BaseUrl = baseUrl ?? "";
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where it listens, when started by <see cref="StartAsync"/>.</summary>
    public string BaseUrl { get; }

    public string Log { get { lock (log) return log.ToString(); } }

    /// <summary>A dashboard on a free loopback port with its own data folder, healthy.</summary>
    public static async Task<DashboardProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var dashboard = new DashboardProcess(["--urls", baseUrl],
            new Dictionary<string, string>(environment) { ["PLaw__DataDirectory"] = dataDirectory }, baseUrl);
        await dashboard.WaitHealthyAsync(baseUrl);
        return dashboard;
    }

    /// <summary>Waits until <c>/healthz</c> at <paramref name="baseUrl"/> answers Healthy; fails with the log if the process exits.</summary>
    public async Task WaitHealthyAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, $"the dashboard exited {(process.HasExited ? process.ExitCode : 0)}:\n{Log}");
            try { return (await http.GetStringAsync("/healthz")).Contains("Healthy", StringComparison.Ordinal); }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, "the dashboard to answer /healthz", context: () => Log);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
