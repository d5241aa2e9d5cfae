using System.CommandLine;
using PLaw.Cli.Commands;
using PLaw.Data.Import;
using PLaw.Data.Runtime;
using PLaw.Entropy;

namespace PLaw.Cli.Shell;

/// <summary>
/// plaw's subcommands by name. A command line whose first word names one builds only that command: it parses the same
/// (nothing else is reachable from it), and start-up skips building the others, about 20 ms of a <c>plaw entropy</c>
/// (bench/results/entropy-cli-2026-12-01.md). Any other command line (no arguments, an option first, a misspelt name)
/// builds them all, so <c>plaw --help</c> lists every command and a typo gets System.CommandLine's usual answer.
/// </summary>
internal static class CommandTable
{
    /// <param name="Trains">Whether the command may train, and so needs the torch backend registered.</param>
    /// <param name="HotTypes">The types whose AggressiveOptimization methods the command runs, if any.</param>
    internal sealed record Entry(string Name, Func<Command> Create, bool Trains = true, Func<IReadOnlyList<Type>>? HotTypes = null);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("entropy", EntropyCommand.Create, Trains: false, HotTypes: ImportAndTable),
        new("import", ImportCommand.Create, Trains: false, HotTypes: ImportAndTable),
        new("datasets", DatasetsCommand.Create),
        new("runs", RunsCommand.Create),
        new("queue", QueueCommand.Create),
        new("study", StudyCommand.Create),
        new("watch", WatchCommand.Create),
        new("cancel", CancelCommand.Create),
        new("requeue", CancelCommand.CreateRequeue),
        new("export", ExportCommand.Create),
        new("worker", WorkerCommand.Create),
        new("workers", WorkersCommand.Create),
        new("fit", FitCommand.Create),
        new("optimum", OptimumCommand.Create),
        new("train", TrainCommand.Create),
        new("options", OptionsCommand.Create),
        new("forecast", ForecastCommand.Create),
        new("predict", PredictCommand.Create),
        new("sweep-entropy", SweepEntropyCommand.Create),
        new("users", UsersCommand.Create),
        new("tokens", TokensCommand.Create),
        new("audit", AuditCommand.Create),
        new("login", LoginCommand.Create),
        new("logout", LoginCommand.CreateLogout),
        new("doctor", DoctorCommand.Create),
        new("export-model", ExportModelCommand.Create),
        new("challenge", ChallengeCommand.Create),
    ];

    private static IReadOnlyList<Type> ImportAndTable() => [.. DatasetImporter.HotTypes, .. EntropyTable.HotTypes];

    /// <summary>The commands to build for <paramref name="args"/>: the one its first word names, or all of them.</summary>
    public static IReadOnlyList<Entry> For(string[] args)
    {
        if (args.Length > 0)
            foreach (var entry in All)
                if (entry.Name == args[0]) return [entry];
        return All;
    }

    /// <summary>
    /// Starts compiling the hot methods of the command to run on the idle core, so that they are ready when it reaches them
    /// (<see cref="CompileAhead"/>). Program calls it first, so the compilation also overlaps building and parsing the
    /// command line (25–30 ms of the main thread).
    /// </summary>
    public static void CompileAheadFor(IReadOnlyList<Entry> commands)
    {
        foreach (var entry in commands)
            if (entry.HotTypes is { } hot && InvokedCommand.Named(entry.Name))
            {
                CompileAhead.InBackground(hot());
                return;
            }
    }

    /// <summary>
    /// The root command. System.CommandLine's <see cref="RootCommand"/> builds its help and version options at once, and
    /// the help option's description loads the library's localised resources: about 12 ms of one core at every start
    /// (bench/results/entropy-startup-2026-12-01.md). A command line that names a command (<paramref name="commands"/>, from
    /// <see cref="For"/>, is that one) and has no token those options read cannot ask for them, so it gets a plain root
    /// command named plaw: it parses every such command line the same.
    /// </summary>
    public static Command Root(IReadOnlyList<Entry> commands, string[] args, string description) =>
        commands.Count == 1 && !args.Any(AsksForHelpOrVersion) ? new Command("plaw", description) : new RootCommand(description);

    /// <summary>Whether the parser could read <paramref name="token"/> as -h, /h, -?, /?, --help or --version: the name
    /// itself, with a value after ':' or '=', or among bundled single-letter options (-vh).</summary>
    internal static bool AsksForHelpOrVersion(string token)
    {
        var name = token.AsSpan(0, token.IndexOfAny([':', '=']) is >= 0 and var at ? at : token.Length);
        if (name is "--help" or "-h" or "/h" or "-?" or "/?" or "--version") return true;
        return token.Length > 2 && token[0] == '-' && token[1] != '-' && token.AsSpan(1).IndexOfAny('h', '?') >= 0;
    }
}
