using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Runs;

namespace PLaw.Cli.Tests;

/// <summary>One set of run defaults: <c>new RunOptions()</c>. <c>--help</c> shows it, and a run queued without flags has it.</summary>
public sealed class RunDefaultsTests
{
    private static readonly RunOptions Defaults = new();

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every run flag and the default its help must show, taken from <c>new RunOptions()</c>.</summary>
    public static TheoryData<string, string> RunFlags() => new()
    {
        { "--model", Defaults.Model.ToString().ToLowerInvariant() },
        { "--variant", $"sasrec {Variants.Default(ModelFamily.Sasrec).ToLowerInvariant()}, hstu {Variants.Default(ModelFamily.Hstu).ToLowerInvariant()}, llama {Variants.Default(ModelFamily.Llama).ToLowerInvariant()}" },
        { "--layers", Defaults.Layers.ToString() },
        { "--dim", Defaults.Dim.ToString() },
        { "--heads", Defaults.Heads.ToString() },
        { "--max-len", Defaults.MaxLength.ToString() },
        { "--dropout", Number(Defaults.Dropout) },
        { "--layer-dropout", "--dropout in every block" },
        { "--loss", Defaults.Loss switch { LossKind.Bce => "bce", LossKind.SampledSoftmax => "sampled", _ => "full" } },
        { "--negatives", Defaults.Negatives.ToString() },
        { "--temperature", Number(Defaults.Temperature) },
        { "--optimizer", Defaults.Optimizer.ToString().ToLowerInvariant() },
        { "--lr", Number(Defaults.LearningRate) },
        { "--weight-decay", Number(Defaults.WeightDecay) },
        { "--warmup", Defaults.WarmupSteps.ToString() },
        { "--cosine", Defaults.CosineDecay ? "on" : "off" },
        { "--clip-norm", Defaults.ClipNorm is { } c ? Number(c) : "off" },
        { "--sgd-epoch", Defaults.SwitchToSgdEpoch?.ToString() ?? "never" },
        { "--sgd-on-plateau", Defaults.SwitchToSgdOnPlateau ? "on" : "off" },
        { "--precision", Defaults.Precision.ToString().ToLowerInvariant() },
        { "--eval", Defaults.Eval.ToString().ToLowerInvariant() },
        { "--eval-every", Defaults.EvalEvery.ToString() },
        { "--epochs", Defaults.Epochs.ToString() },
        { "--batch", Defaults.BatchSize.ToString() },
        { "--seed", Defaults.Seed.ToString() },
        { "--threads", Defaults.Threads.ToString() },
        { "--backend", Defaults.Backend },
        { "--device", Defaults.Device },
    };

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
