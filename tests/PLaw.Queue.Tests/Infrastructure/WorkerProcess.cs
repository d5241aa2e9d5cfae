using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace PLaw.Queue.Tests.Infrastructure;

/// <summary>A real <c>plaw</c> process (a worker) whose output is collected as it comes; killed at dispose if still running.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public static string Executable { get; } = Path.Combine(
        typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliDirectory").Value!, "plaw");

    public WorkerProcess(IEnumerable<string> args)
    {
        Assert.True(File.Exists(Executable), $"plaw is not built at {Executable}: build src/PLaw.Cli first.");
        var start = new ProcessStartInfo(Executable, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "240";
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => process.Id;

    public string Output { get { lock (output) return output.ToString(); } }

    public bool HasExited => process.HasExited;

    /// <summary>The exit code; fails with the output when the process does not end within <paramref name="timeout"/>.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { Assert.Fail($"plaw worker did not finish within {timeout.TotalSeconds} s.\n{Output}"); }
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, without checkpointing or releasing its leases (a crash, a lost machine).</summary>
    public async Task KillHardAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) await KillHardAsync();
        process.Dispose();
    }
}
