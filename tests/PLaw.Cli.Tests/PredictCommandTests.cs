using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Entropy;
using PLaw.Registry.Runs;
using PLaw.Registry.Studies;

namespace PLaw.Cli.Tests;

/// <summary>
/// plaw predict over a real registry: four small datasets of different sizes imported by the CLI (so their entropy tables are really
/// measured); three get completed SASRec runs whose NDCG@10 follows a planted joint law
/// D_k = c·q_k with q_k = tokens / ApEn from their own entropy rows (written straight into the registry: no training).
/// </summary>
public sealed class PredictCommandTests
{
    private const double W1 = 0.05, W2 = 0.08, W3 = -0.3, W4 = -0.2, W5 = -0.1, C = 0.3, B = 0.4, Noise = 0.0005;
    private static readonly int[] Layers = [1, 2, 4];
    private static readonly int[] Dims = [8, 16, 32];
    /// <summary>Name, users (q grows with the tokens), share of random items.</summary>
    private static readonly (string Name, int Users, double Random)[] Sets = [("small", 40, 0.0), ("mixed", 90, 0.3), ("large", 200, 0.7), ("target", 130, 0.5)];

    private sealed record Seeded(string Data, IReadOnlyDictionary<string, double> Quality);

    private static readonly Lazy<Task<Seeded>> Registry = new(async () =>
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-predict-").FullName;
        var data = Path.Combine(folder, "data");
        foreach (var (name, users, randomShare) in Sets)
        {
            var random = new Random(name.Length * 31 + 7);
            var file = Path.Combine(folder, name + ".txt");
            var lines = new StringBuilder();
            for (var user = 1; user <= users; user++)
            for (var t = 0; t < 20; t++)
            {
                var item = random.NextDouble() < randomShare ? 1 + random.Next(40) : 1 + (user * 7 + t * 3) % 40;
                lines.Append(user).Append(' ').Append(item).Append('\n');
            }
            File.WriteAllText(file, lines.ToString());
            var import = await Plaw.RunAsync("import", file, "--format", "sasrec", "--name", name, "--data-dir", data);
            Assert.True(import.ExitCode == 0, import.Error);
        }
        await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddPLawRegistry(Path.Combine(data, "registry.db")).BuildServiceProvider();
        var datasets = services.GetRequiredService<DatasetCatalog>();
        var entropy = services.GetRequiredService<EntropyReports>();
        var catalog = services.GetRequiredService<RunCatalog>();
        var quality = new Dictionary<string, double>();
        var noise = new Random(3);
        foreach (var (name, _, _) in Sets)
        {
            var dataset = (await datasets.FindByNameAsync(name))!;
            var row = (await entropy.GetCachedAsync(dataset.Id, 2, 0)).Single(e => e.Row.MaxLen == 50).Row;
            var q = row.Tokens / row.Apen;
            quality[name] = q;
            if (name == "target") continue;
            var grid = new StudyGrid { Base = new RunOptions { Epochs = 1, Threads = 1, MaxLength = 50 }, Models = [ModelFamily.Sasrec], Layers = Layers, Dims = Dims };
            var (_, runs) = await catalog.CreateStudyAsync($"grid-{name}", dataset.Id, grid);
            foreach (var run in runs)
            {
                var value = Truth(run.Layers, run.Dim, q) + Noise * (noise.NextDouble() - 0.5) * 2;
                await catalog.UpdateAsync(run.Id, r =>
                {
                    r.Status = RunStatus.Completed;
                    r.EpochsDone = r.Epochs;
                    r.FinishedUtc = DateTime.UtcNow;
                    RunResults.SetTestMetrics(r, new Dictionary<string, double> { ["NDCG@10"] = value, ["HR@10"] = 2 * value });
                });
            }
        }
        return new Seeded(data, quality);
    });

    private static double Term(double x, double w) => -0.5 * Math.Pow(x, -w) - w * Math.Log(x);

    private static double Truth(int n, int d, double q) => W1 * Term(n, W3) + W2 * Term(d, W4) + Term(C * q, W5) + B;

    private static JsonElement Json(Plaw.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    [Fact]
    public async Task PredictsANewDatasetFromItsEntropyTableWithCFittedOnTheOthers()
    {
        var r = await Registry.Value;
        // The planted qualities really differ (else c could not be fitted across datasets).
        Assert.True(r.Quality["large"] > 3 * r.Quality["small"], string.Join(", ", r.Quality.Select(q => $"{q.Key} {q.Value:G4}")));
        var json = Json(await Plaw.RunAsync("predict", "--dataset", "target", "--proxy", "apen", "--resamples", "40", "--data-dir", r.Data, "--json"));
        Assert.Equal("target", json.GetProperty("dataset").GetString());
        Assert.Equal(50, json.GetProperty("maxLength").GetInt32());
        Assert.Equal(r.Quality["target"], json.GetProperty("quality").GetDouble(), 6);
        Assert.Equal(["large", "mixed", "small"], json.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("dataset").GetString()).Order());
        Assert.Equal(27, json.GetProperty("runs").GetInt32());
        Assert.Equal(0, json.GetProperty("measured").GetArrayLength());
        var surface = json.GetProperty("surface").EnumerateArray().ToList();
        Assert.NotEmpty(surface);
        foreach (var p in surface)
        {
            int n = p.GetProperty("layers").GetInt32(), d = p.GetProperty("dim").GetInt32();
            double value = p.GetProperty("value").GetDouble(), low = p.GetProperty("low").GetDouble(), high = p.GetProperty("high").GetDouble();
            Assert.True(low <= value && value <= high, $"({n}, {d}): {value} outside {low}–{high}");
            if (n <= 4 && d is >= 8 and <= 32)   // inside the fitted runs' range
                Assert.True(Math.Abs(value - Truth(n, d, r.Quality["target"])) < 0.005, $"({n}, {d}): {value:F4} vs planted {Truth(n, d, r.Quality["target"]):F4}");
        }
        // Three datasets fix the three offsets φ(c·q_k; w5) + b exactly but not c itself (Laws tests recover c from four).
        Assert.True(json.GetProperty("c").GetDouble() > 0);

        var text = await Plaw.RunAsync("predict", "--dataset", "target", "--resamples", "0", "--data-dir", r.Data);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("Predicted NDCG@10 of sasrec on target at L = 50", text.Out, StringComparison.Ordinal);
        Assert.Contains("Predicted optimum in", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatasetWithRunsIsComparedWithItsPredictionFromTheOthers()
    {
        var r = await Registry.Value;
        var json = Json(await Plaw.RunAsync("predict", "--dataset", "mixed", "--metric", "ndcg@10", "--resamples", "0", "--data-dir", r.Data, "--json"));
        Assert.Equal(["large", "small"], json.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("dataset").GetString()).Order());
        var measured = json.GetProperty("measured").EnumerateArray().ToList();
        Assert.Equal(9, measured.Count);
        Assert.All(measured, m => Assert.Equal(m.GetProperty("predicted").GetDouble() - m.GetProperty("measured").GetDouble(), m.GetProperty("error").GetDouble(), 12));
        Assert.Equal(measured.Average(m => Math.Abs(m.GetProperty("error").GetDouble())),
            json.GetProperty("measuredSummary").GetProperty("meanAbsoluteError").GetDouble(), 12);
    }

    [Fact]
    public async Task LeaveOneOutReportsEveryProxyAndNamesTheBest()
    {
        var r = await Registry.Value;
        var json = Json(await Plaw.RunAsync("predict", "--leave-one-out", "--resamples", "0", "--data-dir", r.Data, "--json"));
        var proxies = json.GetProperty("proxies").EnumerateArray().ToList();
        Assert.Equal(["apen", "chunked", "conditional"], proxies.Select(p => p.GetProperty("proxy").GetString()));
        Assert.All(proxies, p => Assert.Equal(3, p.GetProperty("heldOut").GetArrayLength()));
        Assert.Contains(json.GetProperty("best").GetString(), new[] { "apen", "chunked", "conditional" });
    }

    [Fact]
    public async Task AMissingEntropyRowSaysWhichDatasetAndWhatToRun()
    {
        var r = await Registry.Value;
        var result = await Plaw.RunAsync("predict", "--dataset", "target", "--max-len", "30", "--data-dir", r.Data);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dataset 'target' has no entropy table at max length 30 (it has L = 25, 50, 100, 200)", result.Error, StringComparison.Ordinal);
        Assert.Contains("plaw predict --dataset target --measure-entropy", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--model", "hstu", "--dataset", "target" }, "needs runs on at least two other datasets")]
    [InlineData(new[] { "--dataset", "target", "--proxy", "shannon" }, "quality proxy 'shannon': expected apen, chunked, conditional")]
    [InlineData(new[] { "--dataset", "nope" }, "No dataset 'nope' in the registry")]
    [InlineData(new string[0], "Give --dataset")]
    [InlineData(new[] { "--dataset", "target", "--metric", "LogLoss" }, "--metric LogLoss is lower-is-better")]
    public async Task BadInputExitsTwoWithOneLine(string[] args, string message)
    {
        var r = await Registry.Value;
        var result = await Plaw.RunAsync(["predict", .. args, "--data-dir", r.Data]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureEntropyFillsTheMissingRowAndPredicts()
    {
        var r = await Registry.Value;
        var result = await Plaw.RunAsync("predict", "--dataset", "target", "--max-len", "40", "--resamples", "0", "--measure-entropy", "--data-dir", r.Data, "--json");
        Assert.Equal(40, Json(result).GetProperty("maxLength").GetInt32());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{40}"), Json(result).GetProperty("maxLength").GetRawText());
    }
}
