namespace PLaw.Cli.Tests;

/// <summary>
/// A command line whose first word names a command builds only that command (start-up speed): every command listed by
/// <c>plaw --help</c> must still be found, under its own name, when it is the one named.
/// </summary>
public sealed class CommandTableTests
{
    [Fact]
    public async Task EveryListedCommandShowsItsOwnHelpWhenNamedFirst()
    {
        var root = await Plaw.RunAsync("--help");
        Assert.True(root.ExitCode == 0, root.Error);
        var names = root.Out.Split('\n').SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.True(names.Count >= 27, $"only {names.Count} commands listed: {string.Join(", ", names)}");
        Assert.Contains("entropy", names);
        Assert.Contains("logout", names);

        foreach (var name in names)
        {
            var help = await Plaw.RunAsync(name, "--help");
            Assert.True(help.ExitCode == 0, $"plaw {name} --help: {help.Error}");
            Assert.Contains($"plaw {name}", help.Out);
        }
    }

    [Fact]
    public async Task AMisspeltCommandIsStillReportedAgainstTheWholeList()
    {
        var result = await Plaw.RunAsync("entropi", "x.txt");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("entropi", result.Error);
    }
}
