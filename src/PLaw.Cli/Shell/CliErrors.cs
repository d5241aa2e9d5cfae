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
            var parsed = root.Parse(args);
            // Bad values and unknown flags: System.CommandLine's messages name the flag ("Cannot parse argument 'abc' for option
            // '--layers' …"); print them, not the whole help, and exit 2 like every other bad input.
            if (parsed.Errors.Count > 0 && !AsksForHelp(parsed))
            {
                foreach (var error in parsed.Errors)
                    await Console.Error.WriteLineAsync($"plaw: {error.Message}");
                var command = parsed.CommandResult.Command is RootCommand ? "plaw" : $"plaw {parsed.CommandResult.Command.Name}";
                await Console.Error.WriteLineAsync($"Run '{command} --help' for the options and their defaults.");
                return BadInput;
            }
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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

    private static bool AsksForHelp(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "/?" or "/h");
}
