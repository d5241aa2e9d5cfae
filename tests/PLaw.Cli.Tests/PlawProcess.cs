using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace PLaw.Cli.Tests;

/// <summary>A long-running <c>plaw</c> process (worker, train) whose output is read as it comes, and that can be signalled.</summary>
internal sealed class PlawProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _error = new();
    private readonly object _lock = new();

    private static string Executable { get; } = Path.Combine(
        typeof(PlawProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliDirectory").Value!, "plaw");

    public PlawProcess(params string[] args)
    {
        var start = new ProcessStartInfo(Executable, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        start.Environment["NO_COLOR"] = "1";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) _error.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Out { get { lock (_lock) return _out.ToString(); } }

    public string Error { get { lock (_lock) return _error.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>Sends SIGINT ("INT") or SIGTERM ("TERM") with kill(1), as a terminal or a service manager would.</summary>
    public async Task SignalAsync(string signal)
    {
        // A shell without job control starts background jobs with SIGINT ignored, and children inherit that: plaw would never
        // see the Ctrl+C. Said plainly rather than as a hang.
        if (signal == "INT" && SigintIgnoredHere())
            Assert.Fail("SIGINT is ignored in this test process (started as a background job of a shell without job control, e.g. " +
                        "'(cmd &)'): plaw inherits that and cannot be interrupted. Run the tests in the foreground or under 'set -m'.");
        using var kill = Process.Start("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static bool SigintIgnoredHere()
    {
        const string field = "SigIgn:";
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) : null;
        return line is not null && (Convert.ToUInt64(line[field.Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling; fails with the output when the process ends or time runs out.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (!await condition())
        {
            if (_process.HasExited) Assert.Fail($"plaw exited ({_process.ExitCode}) before {what}.\n{Out}\n{Error}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}.\n{Out}\n{Error}");
            await Task.Delay(100);
        }
    }

    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>The exit code, waiting at most <paramref name="timeout"/> (generous: the machine may be loaded).</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { Assert.Fail($"plaw did not exit within {timeout.TotalSeconds} s of the signal.\n{Out}\n{Error}"); }
        _process.WaitForExit(); // flushes the asynchronous readers
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
