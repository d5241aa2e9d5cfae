using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace PLaw.Cli.Tests;

/// <summary>Out-of-range and unparsable run options, oversized models, literal '@' names, and what errors and progress echo.</summary>
public sealed partial class RunLimitsCommandTests
{
    private static string WriteWalks()
    {
        var lines = Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(0, 8 + u % 5).Select(t => $"{u} {(u + t * (1 + u % 3)) % 20 + 1}"));
        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-limits-").FullName, "walks.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static async Task<string> RegistryWithDatasetAsync()
    {
        var file = WriteWalks();
        var data = Path.Combine(Path.GetDirectoryName(file)!, "data");
        var import = await Plaw.RunAsync("import", file, "--format", "sasrec", "--name", "walks", "--data-dir", data, "--no-entropy");
        Assert.True(import.ExitCode == 0, import.Error);
        return data;
    }

    private static void AssertOneClearLine(Plaw.Result result, string flag, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"plaw: {flag}: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal); // no .NET type names
    }

    [Theory]
    [InlineData("--threads", "10000", "Threads must be from 1 to 256 (got 10,000)")]
    [InlineData("--layers", "100000", "Layers must be from 1 to 256 (got 100,000)")]
    [InlineData("--max-len", "1000000", "MaxLength must be from 2 to 16,384 (got 1,000,000)")]
    [InlineData("--negatives", "100000000", "negatives must be from 1 to 100,000 (got 100,000,000)")]
    [InlineData("--dim", "100000", "Dim must be from 1 to 16,384 (got 100,000)")]
    [InlineData("--clip-norm", "NaN", "ClipNorm must be a finite number (got NaN)")]
    [InlineData("--lr", "NaN", "LearningRate must be a finite number (got NaN)")]
    [InlineData("--lr", "Infinity", "LearningRate must be a finite number (got Infinity)")]
    [InlineData("--dropout", "-Infinity", "Dropout must be a finite number (got -Infinity)")]
    [InlineData("--epochs", "abc", "'abc' is not a whole number. Training epochs, 1–100,000.")]
    [InlineData("--sgd-epoch", "abc", "'abc' is not a whole number.")]
    [InlineData("--clip-norm", "abc", "'abc' is not a number.")]
    [InlineData("--keep-last", "abc", "'abc' is not a whole number.")]
    public async Task TrainRefusesOutOfRangeAndUnparsableValuesNamingTheFlag(string flag, string value, string expected)
    {
        var file = WriteWalks();
        string[] epochs = flag == "--epochs" ? [] : ["--epochs", "1"];
        var result = await Plaw.RunAsync(["train", "--data", file, "--format", "sasrec", "--loss", "sampled", .. epochs, flag, value]);
        AssertOneClearLine(result, flag, expected);
    }

    [Fact]
    public async Task QueueRefusesModelsThatCannotFitAndQueuesNothing()
    {
        var data = await RegistryWithDatasetAsync();
        // The probe's 6·10^13 parameters: 1,000 blocks of width 100,000, outside the ranges.
        var probe = await Plaw.RunAsync("queue", "--dataset", "walks", "--layers", "1000", "--dim", "100000", "--data-dir", data);
        AssertOneClearLine(probe, "--layers", "--dim: Dim must be from 1 to 16,384 (got 100,000)");

        // Inside every range, 4·10^11 parameters: more than one array holds, and the message says how much it would need.
        var huge = await Plaw.RunAsync("queue", "--dataset", "walks", "--layers", "256", "--dim", "16384", "--heads", "1", "--data-dir", data);
        AssertOneClearLine(huge, "--dim", "Dim 16384 with Layers 256 is too large");
        Assert.Contains("412,", huge.Error, StringComparison.Ordinal);
        Assert.Contains(" TB", huge.Error, StringComparison.Ordinal);

        // Array-sized parameters, but activations for 65,536 sequences of 64 blocks of width 2,048: no machine has them.
        var wide = await Plaw.RunAsync("queue", "--dataset", "walks", "--layers", "64", "--dim", "2048", "--heads", "16", "--batch", "65536",
            "--data-dir", data);
        AssertOneClearLine(wide, "--batch", "too large for this machine: the run needs about ");
        Assert.Matches(@"needs about [\d.]+ (TB|PB) of memory, [\d.]+ \w+ is available", wide.Error);

        // NaN is refused by name, not by the JSON serialiser's wording.
        var nan = await Plaw.RunAsync("queue", "--dataset", "walks", "--lr", "NaN", "--data-dir", data);
        AssertOneClearLine(nan, "--lr", "LearningRate must be a finite number (got NaN)");

        var runs = await Plaw.RunAsync("runs", "--data-dir", data, "--json");
        Assert.True(runs.ExitCode == 0, runs.Error);
        Assert.Empty(JsonDocument.Parse(runs.Out).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task TheWorkerFailsARunThatDoesNotFitInsteadOfRunningOutOfMemory()
    {
        var data = await RegistryWithDatasetAsync();
        var queued = await Plaw.RunAsync("queue", "--dataset", "walks", "--layers", "1", "--dim", "8", "--epochs", "1", "--data-dir", data, "--json");
        Assert.True(queued.ExitCode == 0, queued.Error);
        // As if queued on a far larger machine: 64 blocks of width 2,048 over batches of 65,536 sequences.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "registry.db")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var update = db.CreateCommand();
            update.CommandText = "UPDATE Runs SET OptionsJson = json_set(OptionsJson, '$.layers', 64, '$.dim', 2048, '$.heads', 16, '$.batchSize', 65536)";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", data);
        Assert.True(worker.ExitCode == 0, worker.Error);
        var runs = await Plaw.RunAsync("runs", "--data-dir", data, "--json");
        var run = JsonDocument.Parse(runs.Out).RootElement.EnumerateArray().Single();
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.StartsWith("BatchSize 65536 with MaxLength 50", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("too large for this machine", run.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStudyGridPointOutOfRangeNamesTheFlagAndQueuesNothing()
    {
        var data = await RegistryWithDatasetAsync();
        var study = await Plaw.RunAsync("study", "--name", "deep", "--dataset", "walks", "--layers-grid", "1,300", "--data-dir", data);
        Assert.Equal(2, study.ExitCode);
        Assert.Contains("--layers: Layers must be from 1 to 256 (got 300)", study.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAtSignNameIsTakenLiterally()
    {
        var file = WriteWalks();
        var data = Path.Combine(Path.GetDirectoryName(file)!, "data");
        var import = await Plaw.RunAsync("import", file, "--format", "sasrec", "--name", "@team-data", "--data-dir", data, "--no-entropy", "--json");
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Equal("@team-data", JsonDocument.Parse(import.Out).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ImportErrorsCutLongInputAndEscapeControlCharacters()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-echo-").FullName;
        var wide = Path.Combine(folder, "wide.csv");
        var header = string.Join(",", Enumerable.Range(0, 1 << 16).Select(i => $"c{i:D8}")); // 720 kB, under the 1 Mi-character line bound
        File.WriteAllText(wide, header + "\n1,2\n");
        var big = await Plaw.RunAsync("import", wide, "--format", "csv", "--columns", "user,item", "--data-dir", Path.Combine(folder, "data"));
        Assert.Equal(2, big.ExitCode);
        Assert.True(big.Error.Length < 2_000, $"{big.Error.Length:N0} characters on standard error");
        Assert.Contains($"({header.Length:N0} characters, the first 120 shown)", big.Error, StringComparison.Ordinal);

        var evil = Path.Combine(folder, "evil.txt");
        File.WriteAllText(evil, "1 2\n\u001b[2J\u001b]0;pwned\u0007 3\n");
        var escaped = await Plaw.RunAsync("import", evil, "--format", "sasrec", "--data-dir", Path.Combine(folder, "data"));
        Assert.Equal(2, escaped.ExitCode);
        Assert.Contains("\\x1B[2J\\x1B]0;pwned\\x07", escaped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', escaped.Error);
        Assert.DoesNotContain('\u0007', escaped.Error);
    }

    [Fact]
    public async Task ImportProgressShowsPercentsWithOneDecimalAtMost()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-progress-").FullName;
        var file = Path.Combine(folder, "many.txt");
        var text = new StringBuilder();
        for (var i = 0; i < 400_000; i++) text.Append(1 + i % 5_000).Append(' ').Append(1 + i * 7 % 3_001).Append('\n');
        File.WriteAllText(file, text.ToString());
        var result = await Plaw.RunAsync("import", file, "--format", "sasrec", "--data-dir", Path.Combine(folder, "data"), "--no-entropy");
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var progress = lines.Where(l => l.StartsWith("importing many.txt: ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, result.Error);
        Assert.All(progress, l => Assert.Matches(ProgressLine(), l));
        Assert.Equal("importing many.txt: 100 %", progress[^1]);
        Assert.DoesNotMatch(@"\d\.\d{2,}\s?%", result.Error);
        Assert.DoesNotContain('\u001b', result.Error); // no colour codes into a file or pipe
    }

    [GeneratedRegex(@"^importing many\.txt: \d{1,3}(\.\d)? %$")]
    private static partial Regex ProgressLine();
}
