using System.CommandLine;
using PLaw.Cli.Commands;

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
    internal sealed record Entry(string Name, Func<Command> Create, bool Trains = true);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("entropy", EntropyCommand.Create, Trains: false),
        new("import", ImportCommand.Create, Trains: false),
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

    /// <summary>The commands to build for <paramref name="args"/>: the one its first word names, or all of them.</summary>
    public static IReadOnlyList<Entry> For(string[] args)
    {
        if (args.Length > 0)
            foreach (var entry in All)
                if (entry.Name == args[0]) return [entry];
        return All;
    }
}
