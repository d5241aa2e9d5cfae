using System.CommandLine;

namespace PLaw.Cli.Shell;

/// <summary>
/// Which commands this process may run, from its arguments: a command runs only when its name (or an alias) is one of them
/// (response files are off, <see cref="CliErrors.InvokeAsync"/>, so the arguments are all the tokens there are). Start-up
/// builds what is costly (the run-option flags, <see cref="RunOptionFlags"/>) only for those commands, so <c>plaw --help</c>
/// and every other command skip it. Without arguments set (a command built on its own), every command may run.
/// </summary>
internal static class InvokedCommand
{
    private static HashSet<string>? tokens;

    /// <summary>Set once by Program, before the commands are built.</summary>
    public static void SetArguments(IEnumerable<string> arguments) => tokens = new HashSet<string>(arguments, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is one of the arguments (true when none are set).</summary>
    public static bool Named(string name) => tokens is not { } named || named.Contains(name);

    /// <summary>False only when <paramref name="command"/> cannot be the one run (nor the one whose help is shown).</summary>
    public static bool MayRun(Command command) => Named(command.Name) || command.Aliases.Any(Named);
}
