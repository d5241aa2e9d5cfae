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

    /// <summary>
    /// A command line that names a command gets a root without the help and version options unless a token could ask for
    /// them (<c>CommandTable.Root</c>): every spelling the parser reads as help, anywhere on the line, must still show it.
    /// </summary>
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("/h")]
    [InlineData("/?")]
    public async Task EveryHelpSpellingAfterTheArgumentsStillShowsTheCommandsHelp(string help)
    {
        var result = await Plaw.RunAsync("entropy", "x.txt", "--format", "sasrec", help);
        Assert.True(result.ExitCode == 0, $"plaw entropy x.txt --format sasrec {help}: {result.Error}");
        Assert.Contains("plaw entropy", result.Out);
        Assert.Contains("--max-len", result.Out);
    }

    [Fact]
    public async Task VersionIsStillAnsweredWhenNoCommandIsNamed()
    {
        var version = await Plaw.RunAsync("--version");
        Assert.True(version.ExitCode == 0, version.Error);
        Assert.Matches(@"^\d+\.\d+", version.Out.Trim());
    }
}
