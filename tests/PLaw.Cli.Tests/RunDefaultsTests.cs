using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Engine.Training.Options;
using PLaw.Registry;
using PLaw.Registry.Runs;

namespace PLaw.Cli.Tests;

/// <summary>One set of run defaults: <c>new RunOptions()</c>. <c>--help</c> shows it, and a run queued without flags has it.</summary>
public sealed class RunDefaultsTests
{
    private static readonly RunOptions Defaults = new();

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every run flag and the default its help must show: the catalog's options, with <c>new RunOptions()</c>' values
    /// written as the flag takes them (a null default as what it means: off, never, the family's variant).</summary>
    public static TheoryData<string, string> RunFlags()
    {
        var flags = new TheoryData<string, string>();
        foreach (var spec in RunOptionCatalog.All) flags.Add(spec.Flag, spec.Format(spec.Get(Defaults)));
        return flags;
    }

    [Fact]
    public void TheCatalogIsEveryRunOptionAndShowsTheDefaultsAsTheFlagsTakeThem()
    {
        // Every settable property of RunOptions is an option (so a new one cannot miss the CLI, the form or the docs).
        var settable = typeof(RunOptions).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order();
        Assert.Equal(settable, RunOptionCatalog.All.Select(s => s.PropertyName).Order());
        var expected = new Dictionary<string, string>
        {
            ["--model"] = "sasrec", ["--variant"] = "the family's", ["--layers"] = "2", ["--dim"] = "50", ["--max-len"] = "50",
            ["--dropout"] = "0.5", ["--layer-dropout"] = "off", ["--loss"] = "bce", ["--negatives"] = "128", ["--temperature"] = "0.05",
            ["--lr"] = "0.001", ["--eps"] = "1E-08", ["--cosine"] = "off", ["--clip-norm"] = "off", ["--sgd-epoch"] = "never",
            ["--eval"] = "sampled100", ["--eval-users"] = "10000", ["--new-user-share"] = "0", ["--backend"] = "native", ["--device"] = "auto",
        };
        var shown = RunFlags().ToDictionary(r => (string)r[0], r => (string)r[1]);
        foreach (var (flag, value) in expected) Assert.Equal(value, shown[flag]);
    }

    /// <summary>The text of one option's entry in a help page (its line, and any lines it wraps onto).</summary>
    private static string Entry(string help, string flag)
    {
        var match = Regex.Match(help, $@"^  {Regex.Escape(flag)}(?: <[^>]+>)?\s.*?(?=^  -|\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"{flag} is not in the help:\n{help}");
        return Regex.Replace(match.Value, @"\s+", " ");
    }

    [Theory]
    [InlineData("train")]
    [InlineData("queue")]
    [InlineData("study")]
    public async Task HelpShowsTheRunOptionsDefaultOfEveryRunFlag(string command)
    {
        var help = await Plaw.RunAsync(command, "--help");
        Assert.True(help.ExitCode == 0, help.Error);
        foreach (var row in RunFlags())
        {
            var (flag, expected) = ((string)row[0], (string)row[1]);
            Assert.Contains($"[default: {expected}]", Entry(help.Out, flag));
        }
    }

    [Fact]
    public async Task ARunQueuedWithoutFlagsHasExactlyTheRunOptionsDefaults()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-defaults-").FullName;
        var file = Path.Combine(folder, "small.txt");
        var lines = new StringBuilder();
        for (var user = 1; user <= 20; user++)
        for (var t = 0; t < 8; t++)
            lines.Append(user).Append(' ').Append(1 + (user * 5 + t * 3) % 15).Append('\n');
        File.WriteAllText(file, lines.ToString());
        var data = Path.Combine(folder, "data");
        var import = await Plaw.RunAsync("import", file, "--format", "sasrec", "--name", "small", "--data-dir", data, "--no-entropy");
        Assert.True(import.ExitCode == 0, import.Error);
        var queued = await Plaw.RunAsync("queue", "--dataset", "small", "--data-dir", data, "--json");
        Assert.True(queued.ExitCode == 0, queued.Error);

        await using var services = new ServiceCollection().AddLogging().AddPLawRegistry(Path.Combine(data, "registry.db")).BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        var stored = RunJson.Options(await db.Runs.SingleAsync());
        // Records compare member by member; LayerDropout is null on both sides.
        Assert.Equal(Defaults, stored);
    }

    [Theory]
    [InlineData("--layers", "abc")]
    [InlineData("--dropout", "half")]
    [InlineData("--epochs", "1.5")]
    [InlineData("--eval", "sampled7")]
    [InlineData("--optimizer", "1")]
    [InlineData("--clip-norm", "x")]
    public async Task ABadRunValueExitsTwoNamingTheFlag(string flag, string value)
    {
        var result = await Plaw.RunAsync("queue", "--dataset", "any", "--data-dir", Directory.CreateTempSubdirectory("plaw-cli-bad-").FullName, flag, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(flag, result.Error);
        Assert.Contains($"'{value}'", result.Error);
        Assert.Equal("", result.Out.Trim());
    }

    [Fact]
    public async Task AnUnknownFlagExitsTwoAndPointsAtHelp()
    {
        var result = await Plaw.RunAsync("entropy", "x.txt", "--format", "sasrec", "--widest");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--widest", result.Error);
        Assert.Contains("plaw entropy --help", result.Error);
    }
}
