using System.CommandLine;
using PLaw.Data.Import;

namespace PLaw.Cli.Shell;

/// <summary>Runs the command line; expected failures (bad input, missing files) print one clear line and exit 2.</summary>
internal static class CliErrors
{
    public const int BadInput = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is DataFormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidOperationException or KeyNotFoundException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"plaw: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("plaw: cancelled.");
            return 130;
        }
    }
}
