using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>
/// The real dashboard executable, started with the given arguments and environment (as <c>dotnet run</c> of its project does:
/// Development, from its build folder), its output collected, killed at dispose.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public static string Directory { get; } = typeof(DashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebDirectory").Value!;

    public DashboardProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var executable = Path.Combine(Directory, "PLaw.Web");
        Assert.True(File.Exists(executable), $"The dashboard is not built at {executable}: build src/PLaw.Web first.");
        var start = new ProcessStartInfo(executable, arguments)
        {
            WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Waits until <c>/healthz</c> at <paramref name="baseUrl"/> answers Healthy; fails with the output if the process exits.</summary>
    public async Task WaitHealthyAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await Wait.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, $"the dashboard exited {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
            try { return (await http.GetStringAsync("/healthz")).Contains("Healthy", StringComparison.Ordinal); }
            catch (HttpRequestException) { return false; }
        }, "the dashboard to answer /healthz", context: () => Output);
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
