using System.Globalization;
using System.Text;
using System.Text.Json;
using PLaw.Tests.Common;

namespace PLaw.Cli.Tests;

/// <summary>
/// A tiny synthetic multi-domain dataset (<c>plaw datasets generate --domains 3 --cross-domain 0.3</c>: 300 users over 60
/// items) with one real run (one epoch, 20 % new users), trained once by the real worker.
/// </summary>
public sealed class MultiDomainRunFixture : IAsyncLifetime
{
    public const double CrossDomain = 0.3;
    public string Data { get; private set; } = "";
    public int Run { get; private set; }
    public string GenerateOut { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Data = Path.Combine(Directory.CreateTempSubdirectory("plaw-cli-multidomain-").FullName, "data");
        var generate = await Plaw.RunAsync("datasets", "generate", "--name", "md", "--users", "300", "--items", "60", "--domains", "3",
            "--cross-domain", CrossDomain.ToString(CultureInfo.InvariantCulture), "--min-length", "10", "--max-length", "30", "--no-entropy",
            "--data-dir", Data);
        Assert.True(generate.ExitCode == 0, generate.Error);
        GenerateOut = generate.Out;
        var queued = await Plaw.RunAsync("queue", "--dataset", "md", "--layers", "1", "--dim", "16", "--max-len", "20", "--epochs", "1",
            "--batch", "64", "--new-user-share", "0.2", "--data-dir", Data, "--json");
        Assert.True(queued.ExitCode == 0, queued.Error);
        Run = JsonDocument.Parse(queued.Out).RootElement.GetProperty("id").GetInt32();
        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", Data);
        Assert.True(worker.ExitCode == 0, worker.Error);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary><c>plaw challenge</c> with item domains: all five tasks on a synthetic multi-domain run, and domains at import.</summary>
public sealed class MultiDomainChallengeCommandTests(MultiDomainRunFixture run) : IClassFixture<MultiDomainRunFixture>
{
    private static JsonElement Class(JsonElement multi, string name) =>
        multi.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("class").GetString() == name);

    [Fact]
    public async Task JsonHasAllFiveTasksAndTheClassesPartitionTheTestCases()
    {
        Assert.Contains("3 domains (cross-domain p = 0.3)", run.GenerateOut, StringComparison.Ordinal);
        var result = await Plaw.RunAsync("challenge", run.Run.ToString(), "--json", "--data-dir", run.Data);
        Assert.True(result.ExitCode == 0, result.Error);
        var report = JsonDocument.Parse(result.Out).RootElement.GetProperty("report");
        Assert.Equal(240, report.GetProperty("scoredUsers").GetInt32()); // 300 − round(0.2 × 300) new users
        Assert.Equal(4, report.GetProperty("longTail").GetProperty("groups").GetArrayLength());
        Assert.True(report.GetProperty("coldStart").GetProperty("available").GetBoolean());
        Assert.Equal(6, report.GetProperty("robustness").GetProperty("perturbations").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, report.GetProperty("trajectory").GetProperty("tr").ValueKind);

        var multi = report.GetProperty("multiDomain");
        Assert.True(multi.GetProperty("available").GetBoolean());
        Assert.Equal(["D1", "D2", "D3"], multi.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("Diff-domain: the test item's domain differs from the newest input item's", multi.GetProperty("reading").GetString(),
            StringComparison.Ordinal);
        long Users(string name) => Class(multi, name).GetProperty("users").GetInt64();
        Assert.Equal(240, Users("All"));
        Assert.Equal(240, Users("Mix-domain") + Users("Single-domain"));
        Assert.Equal(240, Users("Diff-domain") + Users("Same-domain"));
        // The generator crosses domains with p = 0.3 at every step, so about 30 % of the test targets do (Binomial(240, 0.3): sd 7.1).
        Assert.InRange(Users("Diff-domain"), 240 * MultiDomainRunFixture.CrossDomain - 4 * 7.1, 240 * MultiDomainRunFixture.CrossDomain + 4 * 7.1);
        // "All" is the clean test protocol, the same number the robustness task starts from.
        Assert.Equal(report.GetProperty("robustness").GetProperty("cleanHitRate10").GetDouble(), Class(multi, "All").GetProperty("hitRate10").GetDouble(), 12);
        Assert.Equal(report.GetProperty("robustness").GetProperty("cleanNdcg10").GetDouble(), Class(multi, "All").GetProperty("ndcg10").GetDouble(), 12);
        var all = Class(multi, "All").GetProperty("hitRate10").GetDouble() * 240;
        var parts = Class(multi, "Diff-domain").GetProperty("hitRate10").GetDouble() * Users("Diff-domain") +
                    Class(multi, "Same-domain").GetProperty("hitRate10").GetDouble() * Users("Same-domain");
        Assert.Equal(all, parts, 6);
    }

    [Fact]
    public async Task TheTableNamesTheClasses()
    {
        var result = await Plaw.RunAsync("challenge", run.Run.ToString(), "--tasks", "multidomain", "--data-dir", run.Data);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Multi-domain (3 domains: D1, D2, D3", result.Out, StringComparison.Ordinal);
        foreach (var name in new[] { "Mix-domain", "Single-domain", "Diff-domain", "Same-domain" })
            Assert.Contains(name, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Long tail", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MovieLensWithAGenreFileAsItsDomainsGetsTheMultiDomainChallenge()
    {
        RepoPaths.RequireSharedData();
        var folder = Directory.CreateTempSubdirectory("plaw-cli-genres-").FullName;
        // u.item: id|title|date|video date|url|19 genre flags (unknown, Action, …); an item's domain is its first genre.
        var genres = File.ReadLines(Path.Combine(RepoPaths.SharedData, "ml-100k", "u.genre")).Where(l => l.Length > 0).Select(l => l.Split('|')[0]).ToArray();
        var tsv = new StringBuilder("item\tdomain\n");
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.SharedData, "ml-100k", "u.item"), Encoding.Latin1))
        {
            var f = line.Split('|');
            tsv.Append(f[0]).Append('\t').Append(genres[Array.IndexOf(f[5..], "1")]).Append('\n');
        }
        var domains = Path.Combine(folder, "genres.tsv");
        File.WriteAllText(domains, tsv.ToString());
        var data = Path.Combine(folder, "data");
        var import = await Plaw.RunAsync("import", RepoPaths.MovieLens100K, "--format", "movielens", "--name", "ml100k-genres",
            "--item-domains", domains, "--no-entropy", "--data-dir", data);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("1,682 items, 100,000 interactions, 19 item domains", import.Out, StringComparison.Ordinal);

        var queued = await Plaw.RunAsync("queue", "--dataset", "ml100k-genres", "--layers", "1", "--dim", "16", "--max-len", "20", "--epochs", "1",
            "--batch", "256", "--data-dir", data, "--json");
        Assert.True(queued.ExitCode == 0, queued.Error);
        var id = JsonDocument.Parse(queued.Out).RootElement.GetProperty("id").GetInt32();
        var worker = await Plaw.RunAsync("worker", "--until-empty", "--data-dir", data);
        Assert.True(worker.ExitCode == 0, worker.Error);
        var challenge = await Plaw.RunAsync("challenge", id.ToString(), "--tasks", "multidomain", "--max-users", "300", "--json", "--data-dir", data);
        Assert.True(challenge.ExitCode == 0, challenge.Error);
        var multi = JsonDocument.Parse(challenge.Out).RootElement.GetProperty("report").GetProperty("multiDomain");
        Assert.True(multi.GetProperty("available").GetBoolean());
        Assert.Equal(19, multi.GetProperty("domains").GetArrayLength());
        Assert.Equal(300, Class(multi, "All").GetProperty("users").GetInt64());
        Assert.Equal(300, Class(multi, "Diff-domain").GetProperty("users").GetInt64() + Class(multi, "Same-domain").GetProperty("users").GetInt64());
    }

    [Fact]
    public async Task BadDomainInputsAreClearErrors()
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-domain-errors-").FullName;
        var log = Path.Combine(folder, "log.txt");
        File.WriteAllText(log, "1 10\n1 20\n2 10\n");
        var data = Path.Combine(folder, "data");

        var missing = await Plaw.RunAsync("import", log, "--format", "sasrec", "--item-domains", Path.Combine(folder, "none.tsv"), "--data-dir", data);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"--item-domains: no file at {Path.Combine(folder, "none.tsv")}", missing.Error, StringComparison.Ordinal);

        var bad = Path.Combine(folder, "items.tsv");
        File.WriteAllText(bad, "10\tbooks\n20\n");
        var badLine = await Plaw.RunAsync("import", log, "--format", "sasrec", "--item-domains", bad, "--data-dir", data);
        Assert.Equal(2, badLine.ExitCode);
        Assert.Contains($"{bad}:2: expected an item id and its domain separated by a tab", badLine.Error, StringComparison.Ordinal);

        File.WriteAllText(bad, "10\tbooks\n");
        var unlisted = await Plaw.RunAsync("import", log, "--format", "sasrec", "--item-domains", bad, "--data-dir", data);
        Assert.Equal(2, unlisted.ExitCode);
        Assert.Contains($"{log}:2: expected an item listed in the item→domain file {bad}", unlisted.Error, StringComparison.Ordinal);

        var column = await Plaw.RunAsync("import", log, "--format", "sasrec", "--domain-column", "cat", "--data-dir", data);
        Assert.Equal(2, column.ExitCode);
        Assert.Contains("--domain-column is for --format csv", column.Error, StringComparison.Ordinal);

        var generate = await Plaw.RunAsync("datasets", "generate", "--name", "x", "--items", "10", "--domains", "6", "--data-dir", data);
        Assert.Equal(2, generate.ExitCode);
        Assert.Contains("10 items cannot make 6 domains", generate.Error, StringComparison.Ordinal);
        var list = await Plaw.RunAsync("datasets", "--json", "--data-dir", data);
        Assert.Equal("[]", list.Out.Trim()); // nothing half-written
    }
}
