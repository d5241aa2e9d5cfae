using System.Diagnostics;
using System.Reflection;

namespace PLaw.Cli.Tests;

/// <summary>Runs the built <c>plaw</c> executable as a user would and captures what it prints.</summary>
internal static class Plaw
{
    public sealed record Result(int ExitCode, string Out, string Error);

    private static string Executable { get; } = Path.Combine(
        typeof(Plaw).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliDirectory").Value!, "plaw");

    public static Task<Result> RunAsync(params string[] args) => RunWithAsync(null, null, args);

    /// <summary>Runs <c>plaw</c> with extra environment variables and, when given, <paramref name="stdin"/> as its standard input.</summary>
    public static async Task<Result> RunWithAsync(IReadOnlyDictionary<string, string>? environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Executable, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "240";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
