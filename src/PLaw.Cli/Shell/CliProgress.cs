using Spectre.Console;

namespace PLaw.Cli.Shell;

/// <summary>Progress bars on standard error, so standard output stays clean for tables and JSON.</summary>
internal static class CliProgress
{
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Standard output; when it is a file or a pipe, tables are laid out 240 columns wide instead of 80, without colour.</summary>
    public static IAnsiConsole Out { get; } = CreateOut();

    private static IAnsiConsole CreateOut()
    {
        // Redirected to a file or a pipe: plain text, no colour codes.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    }

    /// <summary>Runs <paramref name="work"/> with one progress bar fed fractions 0..1.</summary>
    public static async Task<T> RunAsync<T>(string description, Func<IProgress<double>, Task<T>> work)
    {
        T result = default!;
        await Error.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: 1);
                var progress = new SynchronousProgress(f => task.Value = Math.Clamp(f, 0, 1));
                result = await work(progress);
                task.Value = 1;
            });
        return result;
    }

    /// <summary>Reports on the calling thread; <see cref="Progress{T}"/> would post to a context the console does not have.</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
