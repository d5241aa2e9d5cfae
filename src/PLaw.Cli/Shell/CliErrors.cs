using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using PLaw.Data.Import;

namespace PLaw.Cli.Shell;

/// <summary>
/// Runs the command line. Expected failures (bad input, missing files) print one clear line and exit 2; SIGINT (Ctrl+C)
/// and SIGTERM ask the command to stop (a training run checkpoints first) and exit 130 and 143; a second signal ends the
/// process at once. Nothing is printed with a stack trace, and text quoted from input has its control characters escaped.
/// </summary>
internal static partial class CliErrors
{
    public const int BadInput = 2;

    /// <summary>128 + the signal's number, as a shell reports a process the signal ended.</summary>
    public const int Interrupted = 130, Terminated = 143;

    /// <summary>An error the program did not expect (a bug): EX_SOFTWARE.</summary>
    public const int Internal = 70;

    public static async Task<int> InvokeAsync(Command root, string[] args)
    {
        using var stop = new CancellationTokenSource();
        var signalled = 0;
        void OnSignal(PosixSignalContext context)
        {
            // The first signal stops the command gracefully; on a second one the handler leaves the default (terminate).
            if (Interlocked.CompareExchange(ref signalled, context.Signal == PosixSignal.SIGTERM ? Terminated : Interrupted, 0) != 0) return;
            context.Cancel = true;
            Console.Error.WriteLine($"plaw: {(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "interrupted")}: stopping after the " +
                                    "current step; training with a checkpoint path saves it first (send the signal again to quit at once).");
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            // Response files off: "--name @team-data" is a name, not a file to read arguments from.
            var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            // Bad values and unknown flags: one line each naming the flag and what it expects, not the whole help; exit 2
            // like every other bad input.
            if (parsed.Errors.Count > 0 && !AsksForHelp(parsed))
            {
                foreach (var error in parsed.Errors)
                    await Console.Error.WriteLineAsync($"plaw: {EchoedText.Escape(Describe(error))}");
                var command = parsed.CommandResult.Parent is null ? "plaw" : $"plaw {parsed.CommandResult.Command.Name}";
                await Console.Error.WriteLineAsync($"Run '{command} --help' for the options and their defaults.");
                return BadInput;
            }
            // No ProcessTerminationTimeout: System.CommandLine would otherwise return 2 s after a signal, ending the process
            // under a run that is still writing its checkpoint.
            var code = await parsed.InvokeAsync(
                new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop.Token);
            return Volatile.Read(ref signalled) is var signal and not 0 ? signal : code;
        }
        catch (Exception e) when (e is DataFormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidOperationException or KeyNotFoundException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"plaw: {EchoedText.Escape(e.Message)}");
            return BadInput;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("plaw: stopped.");
            return Volatile.Read(ref signalled) is var signal and not 0 ? signal : Interrupted;
        }
        catch (OperationCanceledException e)
        {
            // Not a signal: a timeout (a dashboard that does not answer, say).
            await Console.Error.WriteLineAsync($"plaw: {EchoedText.Escape(e.Message)}");
            return 1;
        }
        catch (OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync("plaw: out of memory; lower the run's size (--dim, --layers, --batch, --max-len, --threads).");
            return BadInput;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"plaw: internal error: {e.GetType().Name}: {EchoedText.Escape(e.Message)}");
            if (Environment.GetEnvironmentVariable("PLAW_DEBUG") is "1") await Console.Error.WriteLineAsync(e.ToString());
            else await Console.Error.WriteLineAsync("(set PLAW_DEBUG=1 for the stack trace)");
            return Internal;
        }
    }

    private static bool AsksForHelp(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "/?" or "/h");

    /// <summary>
    /// A value that does not convert: "--epochs: 'abc' is not a whole number. Training epochs, 1–100,000." (the option's
    /// description states the range); other errors keep System.CommandLine's text with .NET type names made readable.
    /// </summary>
    private static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is not null && Expected(option.Option.ValueType) is { } expected)
        {
            var bad = option.Tokens.Select(t => t.Value).FirstOrDefault(v => !Converts(v, option.Option.ValueType));
            if (bad is not null)
                return $"{option.Option.Name}: '{EchoedText.Of(bad)}' is not {expected}." +
                       (string.IsNullOrEmpty(option.Option.Description) ? "" : $" {option.Option.Description}");
        }
        return TypeName().Replace(error.Message, m => Expected(m.Groups[1].Value) ?? m.Value);
    }

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static string? Expected(Type type) => Expected(Underlying(type).Name);

    private static string? Expected(string typeName) => typeName switch
    {
        "Int32" or "Int64" => "a whole number",
        "Double" or "Single" => "a number",
        "Boolean" => "true or false",
        _ => null,
    };

    private static bool Converts(string text, Type type) => Underlying(type).Name switch
    {
        "Int32" => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        "Int64" => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        "Double" or "Single" => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        "Boolean" => bool.TryParse(text, out _),
        _ => true,
    };

    /// <summary>'System.Int32' or 'System.Nullable`1[System.Double]' in a message: group 1 is the short name.</summary>
    [GeneratedRegex(@"'?System\.(?:Nullable`1\[System\.)?(\w+)\]?'?")]
    private static partial Regex TypeName();
}
