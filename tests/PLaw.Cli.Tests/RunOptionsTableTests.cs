using PLaw.Engine.Training.Options;
using PLaw.Tests.Common;

namespace PLaw.Cli.Tests;

/// <summary>The README's run-options table is what the options' declarations make, and <c>plaw options</c> prints it.</summary>
public sealed class RunOptionsTableTests
{
    private const string Begin = "<!-- run-options:begin -->\n", End = "<!-- run-options:end -->";

    [Fact]
    public void TheReadmeTableIsTheCatalogs()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no run-options block.");
        Assert.True(RunOptionsTable.Markdown().ReplaceLineEndings("\n") == readme[(start + Begin.Length)..end],
            "README.md's run-options table is out of date: replace the block with the output of `plaw options`.");
    }

    [Fact]
    public async Task PlawOptionsPrintsTheTableWithARowPerOption()
    {
        var options = await Plaw.RunAsync("options");
        Assert.True(options.ExitCode == 0, options.Error);
        Assert.Equal(RunOptionsTable.Markdown().ReplaceLineEndings("\n"), options.Out.ReplaceLineEndings("\n"));
        foreach (var spec in RunOptionCatalog.All) Assert.Contains($"| `{spec.Flag}` |", options.Out, StringComparison.Ordinal);
    }
}
