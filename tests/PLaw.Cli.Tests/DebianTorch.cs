using System.Diagnostics;

namespace PLaw.Cli.Tests;

/// <summary>
/// Python with PyTorch as a researcher has it: Debian's python3-torch, for /usr/bin/python3 (not a pyenv python3 on PATH).
/// A machine without it fails the test that needs it, saying what to install.
/// </summary>
internal static class DebianTorch
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> as sys.argv[1:]; returns its standard output.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install python3-torch (apt-get install python3-torch).");
        var start = new ProcessStartInfo(Python, ["-c", script, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await error;
        if (stderr.Contains("No module named 'torch'", StringComparison.Ordinal))
            Assert.Fail($"{Python} has no torch module: install python3-torch (apt-get install python3-torch).");
        Assert.True(process.ExitCode == 0, $"{Python} exited {process.ExitCode}:\n{stderr}");
        return await output;
    }
}
