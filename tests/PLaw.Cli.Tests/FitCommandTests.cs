using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary><c>plaw fit performance|scaling</c> and <c>plaw optimum</c>, run as the built executable.</summary>
public sealed class FitCommandTests
{
    private static string WriteTemp(string name, string content)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("plaw-fit-").FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static double Term(double x, double w) => -0.5 * Math.Pow(x, -w) - w * Math.Log(x);

    /// <summary>The P-Law performance law with w1 = 0.5, w2 = 1, w3 = −0.3, w4 = −0.15 (peaks n* ≈ 10.1, d* ≈ 101.6), w5 = 0.2, D = 50, b = 1.2.</summary>
    private static double Law(double n, double d, double w5 = 0.2, double dataSize = 50) =>
        0.5 * Term(n, -0.3) + 1.0 * Term(d, -0.15) + Term(dataSize, w5) + 1.2;

    private static string PerformanceCsv(double noise = 0.002, int seed = 7, Func<double, double, double>? law = null, string extraHeader = "", Func<int, int, string>? extra = null)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("layers,dim,value" + extraHeader + "\n");
        foreach (var n in new[] { 1, 2, 4, 8, 12, 16, 24 })
        foreach (var d in new[] { 16, 32, 64, 128, 256 })
        {
            var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            csv.Append(CultureInfo.InvariantCulture, $"{n},{d},{(law ?? ((a, b) => Law(a, b)))(n, d) + noise * gauss:R}{extra?.Invoke(n, d)}\n");
        }
        return csv.ToString();
    }

    private static async Task<string> FitJsonAsync()
    {
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("runs.csv", PerformanceCsv()), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        return WriteTemp("fit.json", result.Out);
    }

    [Fact]
    public async Task FitPerformanceJsonNamesTheSevenParametersAndFlagsTheDataTradeoff()
    {
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("runs.csv", PerformanceCsv()), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        foreach (var name in new[] { "w1", "w2", "w3", "w4", "w5", "D", "b", "r2", "sse", "rmse" })
            Assert.True(root.TryGetProperty(name, out _), $"missing {name}");
        Assert.Equal(-0.3, root.GetProperty("w3").GetDouble(), 2);
        Assert.Equal(-0.15, root.GetProperty("w4").GetDouble(), 2);
        Assert.Equal(["D", "b", "w5"], root.GetProperty("notIdentifiable").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("standardErrors").GetProperty("D").ValueKind);
        Assert.True(root.GetProperty("standardErrors").GetProperty("w1").GetDouble() > 0);
        Assert.Equal(35, root.GetProperty("residuals").GetArrayLength());
    }

    [Fact]
    public async Task FitPerformanceTableSaysWhichParametersAreNotIdentifiable()
    {
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("runs.csv", PerformanceCsv()));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("not identifiable: trades off with", result.Out);
        Assert.Contains("R²", result.Out);
    }

    [Fact]
    public async Task OptimumFromTheFitJsonIsTheInteriorPeakBestFirst()
    {
        var fit = await FitJsonAsync();
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--json", "--top", "5");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.InRange(rows[0].GetProperty("layers").GetInt32(), 9, 11);
        Assert.InRange(rows[0].GetProperty("dim").GetInt32(), 85, 120);
        var values = rows.Select(r => r.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(values.OrderByDescending(v => v), values);
    }

    [Fact]
    public async Task OptimumHonoursTheLayersTimesDimBudget()
    {
        var fit = await FitJsonAsync();
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--budget-layers-times-dim", "512", "--tolerance", "0.05", "--json", "--top", "20");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.All(json.RootElement.EnumerateArray(), r =>
            Assert.InRange(r.GetProperty("layers").GetInt32() * r.GetProperty("dim").GetInt32(), 512 * 0.95, 512 * 1.05));
    }

    [Fact]
    public async Task OptimumWithFixedLayersAndHeadsKeepsBoth()
    {
        var fit = await FitJsonAsync();
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--layers", "2", "--heads", "8", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.All(json.RootElement.EnumerateArray(), r =>
        {
            Assert.Equal(2, r.GetProperty("layers").GetInt32());
            Assert.Equal(0, r.GetProperty("dim").GetInt32() % 8);
        });
    }

    [Fact]
    public async Task OptimumUnderAParameterBudgetStaysWithinIt()
    {
        var fit = await FitJsonAsync();
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--max-params", "100000", "--family", "pm-sasrec", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.All(json.RootElement.EnumerateArray(), r =>
        {
            long n = r.GetProperty("layers").GetInt32(), d = r.GetProperty("dim").GetInt32();
            Assert.True(n * (6 * d * d + 10 * d) + 2 * d <= 100_000);
        });
    }

    [Fact]
    public async Task AnOptimumOnTheEdgeOfTheSearchedSpaceIsPointedOut()
    {
        var fit = await FitJsonAsync();
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--dim-range", "8:64");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("upper edge of the searched space", result.Out);
        var inside = await Plaw.RunAsync("optimum", "--fit", fit);
        Assert.DoesNotContain("upper edge", inside.Out);
    }

    [Fact]
    public async Task OptimumRefusesTwoConstraints()
    {
        var fit = await FitJsonAsync();
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--layers", "2", "--max-params", "100000");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("at most one", result.Error);
    }

    [Fact]
    public async Task FitScalingPredictsTheLargeLsrmModelsWithinOnePercent()
    {
        static double Loss(double n) => 4.9 + Math.Pow(6.8e5 / n, 0.121);
        var csv = "params,loss\n" + string.Join("\n", new[] { 98_300, 786_000, 1_570_000, 9_440_000 }.Select(n => FormattableString.Invariant($"{n},{Loss(n):R}")));
        var result = await Plaw.RunAsync("fit", "scaling", "--csv", WriteTemp("loss.csv", csv), "--predict", "75497472,829440000", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(0.121, root.GetProperty("alpha").GetDouble(), 3);
        Assert.Equal(4.9, root.GetProperty("E").GetDouble(), 3);
        Assert.True(root.TryGetProperty("N0", out _) && root.TryGetProperty("r2", out _) && root.TryGetProperty("rmse", out _));
        var predictions = root.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(2, predictions.Count);
        foreach (var p in predictions)
        {
            var n = p.GetProperty("params").GetDouble();
            Assert.True(Math.Abs(p.GetProperty("loss").GetDouble() / Loss(n) - 1) < 0.01, $"N = {n}");
        }
    }

    [Fact]
    public async Task FitScalingWithTokensAddsTheDataLaws()
    {
        static double Loss(double n, double d) => 2.0 + 50 * Math.Pow(n, -0.3) + 300 * Math.Pow(d, -0.28);
        var lines = from n in new[] { 1e5, 4e5, 1.6e6, 6.4e6 } from d in new[] { 1e7, 4e7, 1.6e8, 6.4e8 } select FormattableString.Invariant($"{n},{Loss(n, d):R},{d}");
        var result = await Plaw.RunAsync("fit", "scaling", "--csv", WriteTemp("loss.csv", "params,loss,tokens\n" + string.Join("\n", lines)), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var chinchilla = json.RootElement.GetProperty("chinchilla");
        Assert.Equal(0.3, chinchilla.GetProperty("alpha").GetDouble(), 3);
        Assert.Equal(0.28, chinchilla.GetProperty("beta").GetDouble(), 3);
        Assert.True(json.RootElement.GetProperty("kaplan").TryGetProperty("alphaN", out _) || json.RootElement.GetProperty("kaplan").TryGetProperty("error", out _));
    }

    [Fact]
    public async Task JointFitAcrossDatasetsReportsDAgainstTokensPerApen()
    {
        var csv = new StringBuilder();
        foreach (var (name, tokens, apen, seed) in new[] { ("a", 1e5, 1.0, 1), ("b", 3e5, 1.0, 2), ("c", 2e6, 2.0, 3), ("d", 6e6, 2.0, 4) })
        {
            var q = tokens / apen;
            var part = PerformanceCsv(0.0005, seed, (n, d) => Law(n, d, w5: -0.1, dataSize: 2e-4 * q), ",dataset,tokens,apen",
                (_, _) => FormattableString.Invariant($",{name},{tokens},{apen}"));
            csv.Append(csv.Length == 0 ? part : part[(part.IndexOf('\n') + 1)..]);
        }
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("joint.csv", csv.ToString()), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("joint", root.GetProperty("law").GetString());
        Assert.Equal(4, root.GetProperty("datasets").GetArrayLength());
        Assert.True(root.GetProperty("dVersusQuality").GetProperty("r2").GetDouble() > 0.95);
        Assert.Equal(2e-4, root.GetProperty("c").GetDouble(), 2e-4 * 0.1);
    }

    [Fact]
    public async Task ABadValueIsReportedWithFileLineAndExitCodeTwo()
    {
        var file = WriteTemp("bad.csv", "layers,dim,value\n2,64,0.31\n4,64,nan\n");
        var result = await Plaw.RunAsync("fit", "performance", "--csv", file, "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.csv:3", result.Error);
        Assert.Contains("expected a finite number in column 'value'", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Equal("", result.Out.Trim());
    }

    [Fact]
    public async Task AMissingColumnIsReportedOnTheHeaderLine()
    {
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("cols.csv", "layers,width,value\n2,64,0.3\n"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cols.csv:1", result.Error);
        Assert.Contains("missing dim", result.Error);
    }

    [Fact]
    public async Task TooFewRunsSayHowManyAreNeeded()
    {
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("few.csv", "layers,dim,value\n1,32,0.2\n2,32,0.25\n4,32,0.27\n"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("few.csv: cannot fit the performance law: 3 points for 7 parameters", result.Error);
    }

    [Fact]
    public async Task ConstantMetricsAreRefused()
    {
        var result = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("flat.csv", PerformanceCsv(0, law: (_, _) => 0.25)));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("constant", result.Error);
    }

    [Fact]
    public async Task OptimumRefusesAFileThatIsNotAFit()
    {
        var result = await Plaw.RunAsync("optimum", "--fit", WriteTemp("x.json", "{\"E\": 4.9}"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected a number 'w1'", result.Error);
    }

    [Fact]
    public async Task ADegenerateScalingFitSaysSoInItsJsonAndItsTable()
    {
        // L(N) = (N₀/N)^α with no floor: E is pushed onto its lower bound 0.
        var csv = "params,loss\n" + string.Join("\n", new[] { 1e4, 3e4, 1e5, 3e5, 1e6, 3e6 }
            .Select((n, i) => FormattableString.Invariant($"{n},{Math.Pow(2e3 / n, 0.3) - 0.02 * (i % 2):R}")));
        var file = WriteTemp("loss.csv", csv);
        var json = await Plaw.RunAsync("fit", "scaling", "--csv", file, "--json");
        Assert.True(json.ExitCode == 0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.True(doc.RootElement.GetProperty("degenerate").GetBoolean());
        Assert.Contains(doc.RootElement.GetProperty("warnings").EnumerateArray(),
            w => w.GetProperty("parameter").GetString() == "E" && w.GetProperty("text").GetString()!.Contains("lower bound"));
        var table = await Plaw.RunAsync("fit", "scaling", "--csv", file);
        Assert.Contains("This fit is degenerate", table.Out);

        var clean = await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("runs.csv", PerformanceCsv()), "--json");
        using var cleanDoc = JsonDocument.Parse(clean.Out);
        Assert.False(cleanDoc.RootElement.GetProperty("degenerate").GetBoolean());
    }

    [Fact]
    public async Task OptimumRanksTheMeasuredRangeFirstAndMarksWhatLiesBeyondIt()
    {
        // Deeper and wider is always better here: an unlimited search would name the largest model it is allowed.
        var csv = PerformanceCsv(noise: 0.0005, law: (n, d) => 0.05 + 0.01 * Math.Log(n) + 0.02 * Math.Log(d));
        var fit = WriteTemp("fit.json", (await Plaw.RunAsync("fit", "performance", "--csv", WriteTemp("runs.csv", csv), "--json")).Out);
        var result = await Plaw.RunAsync("optimum", "--fit", fit, "--json", "--top", "1000");
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var rows = json.RootElement.EnumerateArray().Select(r => (Layers: r.GetProperty("layers").GetInt32(), Dim: r.GetProperty("dim").GetInt32(),
            Extrapolated: r.GetProperty("extrapolated").GetBoolean())).ToList();
        Assert.Equal((24, 256, false), rows[0]);   // the measured box is 1–24 layers × width 16–256
        var firstBeyond = rows.FindIndex(r => r.Extrapolated);
        Assert.True(firstBeyond > 0, "nothing beyond the measured range was listed");
        Assert.All(rows.Skip(firstBeyond), r => Assert.True(r.Extrapolated));
        Assert.All(rows, r => Assert.Equal(r.Extrapolated, r.Layers > 24 || r.Dim > 256 || r.Dim < 16));
        // The default reach is 2× the measured range, on widths in steps of 8.
        Assert.All(rows, r => Assert.True(r.Layers <= 48 && r.Dim <= 512 && r.Dim % 8 == 0, $"{r}"));
        Assert.Contains("Beyond the measured runs", result.Error);

        var measuredOnly = await Plaw.RunAsync("optimum", "--fit", fit, "--json", "--extrapolation", "1", "--top", "40");
        using var inside = JsonDocument.Parse(measuredOnly.Out);
        Assert.All(inside.RootElement.EnumerateArray(), r => Assert.False(r.GetProperty("extrapolated").GetBoolean()));

        var asked = await Plaw.RunAsync("optimum", "--fit", fit, "--json", "--layers-range", "30:40", "--dim-range", "8:1024");
        using var beyond = JsonDocument.Parse(asked.Out);
        Assert.Equal((40, 1024), (beyond.RootElement[0].GetProperty("layers").GetInt32(), beyond.RootElement[0].GetProperty("dim").GetInt32()));
        Assert.All(beyond.RootElement.EnumerateArray(), r => Assert.True(r.GetProperty("extrapolated").GetBoolean()));
        Assert.Contains("lies beyond the measured runs", asked.Error);
    }
}
