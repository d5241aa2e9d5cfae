using System.Globalization;
using Spectre.Console;

namespace PLaw.Cli.Shell;

/// <summary>
/// Progress on standard error, so standard output stays clean for tables and JSON. On a terminal, Spectre's bars; when
/// standard error is a file or a pipe, plain lines "importing games.txt: 40 %" at every tenth, without colour codes.
/// </summary>
internal static class CliProgress
{
    public static IAnsiConsole Error { get; } = CreateError();

    /// <summary>Standard output; when it is a file or a pipe, tables are laid out 240 columns wide instead of 80, without colour.</summary>
    public static IAnsiConsole Out { get; } = CreateOut();

    private static IAnsiConsole Create(TextWriter writer, bool redirected) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    });

    private static IAnsiConsole CreateError()
    {
        var console = Create(Console.Error, Console.IsErrorRedirected);
        if (Console.IsErrorRedirected) console.Profile.Width = RedirectedWidth; // a log line stays one line
        return console;
    }

    private static IAnsiConsole CreateOut()
    {
        var console = Create(Console.Out, Console.IsOutputRedirected);
        if (Console.IsOutputRedirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    private const int RedirectedWidth = 240;

    // Plain text (tables drawn by hand) asks only these two, which need no Spectre console when output is redirected.

    /// <summary>The width of <see cref="Out"/>.</summary>
    public static int OutWidth => Console.IsOutputRedirected ? RedirectedWidth : Out.Profile.Width;

    /// <summary>Whether <see cref="Out"/> takes ANSI colour codes.</summary>
    public static bool OutColours =>
        !Console.IsOutputRedirected && Out.Profile.Capabilities is { Ansi: true, ColorSystem: not ColorSystem.NoColors };

    /// <summary>One bar: its description (markup) and its value out of the maximum it was started with.</summary>
    public interface IBar
    {
        string Description { set; }
        double Value { set; }
    }

    /// <summary>Runs <paramref name="work"/> with one bar from 0 to <paramref name="maxValue"/>; the bar ends full.</summary>
    public static async Task StartAsync(string description, double maxValue, Func<IBar, Task> work)
    {
        if (Console.IsErrorRedirected || !Error.Profile.Capabilities.Interactive) // redirected: no Spectre console needed
        {
            var lines = new LineBar(description, maxValue);
            await work(lines);
            lines.Value = maxValue;
            return;
        }
        await Error.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: maxValue);
                await work(new SpectreBar(task));
                task.Value = maxValue;
            });
    }

    /// <summary>Runs <paramref name="work"/> with one progress bar fed fractions 0..1.</summary>
    public static async Task<T> RunAsync<T>(string description, Func<IProgress<double>, Task<T>> work)
    {
        T result = default!;
        await StartAsync(description, 1, async bar => result = await work(new SynchronousProgress(f => bar.Value = Math.Clamp(f, 0, 1))));
        return result;
    }

    /// <summary>"7.1 %": one decimal at most, invariant; what the lines print.</summary>
    public static string Percent(double value, double maxValue) =>
        (maxValue <= 0 ? 100 : Math.Clamp(value / maxValue * 100, 0, 100)).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private sealed class SpectreBar(ProgressTask task) : IBar
    {
        public string Description { set => task.Description = value; }
        public double Value { set => task.Value = value; }
    }

    /// <summary>A line each time the bar passes a tenth; the description is the one it started with (plain text).</summary>
    private sealed class LineBar(string description, double maxValue) : IBar
    {
        private readonly string _title = Markup.Remove(description);
        private int _tenths = -1;

        public string Description { set { } }

        public double Value
        {
            set
            {
                var tenths = maxValue <= 0 ? 10 : (int)Math.Floor(Math.Clamp(value / maxValue, 0, 1) * 10);
                if (tenths <= _tenths) return;
                _tenths = tenths;
                Console.Error.WriteLine($"{_title}: {Percent(value, maxValue)}");
            }
        }
    }

    /// <summary>Reports on the calling thread; <see cref="Progress{T}"/> would post to a context the console does not have.</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
