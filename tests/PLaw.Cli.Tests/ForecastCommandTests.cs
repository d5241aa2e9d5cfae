using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PLaw.Cli.Tests;

/// <summary>plaw forecast over a real registry with two short runs trained by the real worker.</summary>
public sealed class ForecastCommandTests
{
    private sealed record Trained(string Data, int Long, int Short);

    /// <summary>One registry for the class: 60 users × 12 items over 20 (stride 3: learnable in a few epochs); an 8-epoch run and a 3-epoch run, evaluated every epoch.</summary>
    private static readonly Lazy<Task<Trained>> Registry = new(async () =>
    {
        var folder = Directory.CreateTempSubdirectory("plaw-cli-forecast-").FullName;
        var file = Path.Combine(folder, "small.txt");
        var lines = new StringBuilder();
        for (var user = 1; user <= 60; user++)
        for (var t = 0; t < 12; t++)
            lines.Append(user).Append(' ').Append(1 + (user * 7 + t * 3) % 20).Append('\n');
        File.WriteAllText(file, lines.ToString());
        var data = Path.Combine(folder, "data");
        Ok(await Plaw.RunAsync("import", file, "--format", "sasrec", "--name", "small", "--data-dir", data, "--no-entropy"));
        string[] small = ["--layers", "1", "--dim", "8", "--max-len", "10", "--eval-every", "1", "--batch", "16", "--lr", "0.01", "--threads", "1"];
        var eight = Json(await Plaw.RunAsync(["queue", "--dataset", "small", .. small, "--epochs", "8", "--data-dir", data, "--json"]));
        var three = Json(await Plaw.RunAsync(["queue", "--dataset", "small", .. small, "--epochs", "3", "--data-dir", data, "--json"]));
        Ok(await Plaw.RunAsync("worker", "--until-empty", "--data-dir", data));
        return new Trained(data, eight.GetProperty("id").GetInt32(), three.GetProperty("id").GetInt32());
    });

    private static void Ok(Plaw.Result result) => Assert.True(result.ExitCode == 0, result.Error);

    private static JsonElement Json(Plaw.Result result)
    {
        Ok(result);
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ForecastsTheMetricToTheLastEpochAndTheLossToTheLastStep()
    {
        var r = await Registry.Value;
        var json = Json(await Plaw.RunAsync("forecast", Id(r.Long), "--data-dir", r.Data, "--json"));
        Assert.Equal("completed", json.GetProperty("status").GetString());
        var forecasts = json.GetProperty("forecasts").EnumerateArray().ToList();
        var metric = forecasts.Single(f => f.GetProperty("name").GetString() == "NDCG@10");
        Assert.Equal("valid", metric.GetProperty("split").GetString());
        Assert.Equal(8, metric.GetProperty("target").GetDouble());
        Assert.Equal(8, metric.GetProperty("points").GetInt32());
        Assert.Equal(8, metric.GetProperty("lastSeen").GetDouble());
        double value = metric.GetProperty("value").GetDouble(), low = metric.GetProperty("low").GetDouble(), high = metric.GetProperty("high").GetDouble();
        Assert.True(low <= value && value <= high && high - low < 1, $"{low} {value} {high}");
        Assert.Equal(0.9, metric.GetProperty("level").GetDouble());

        var runs = Json(await Plaw.RunAsync("runs", "--data-dir", r.Data, "--json")).EnumerateArray();
        var stepsDone = runs.Single(x => x.GetProperty("id").GetInt32() == r.Long).GetProperty("stepsDone").GetDouble();
        var loss = forecasts.Single(f => f.GetProperty("name").GetString() == "loss");
        Assert.Equal("step", loss.GetProperty("unit").GetString());
        Assert.Equal(stepsDone, loss.GetProperty("target").GetDouble());
        Assert.True(loss.GetProperty("value").GetDouble() > 0);

        var text = await Plaw.RunAsync("forecast", Id(r.Long), "--metric", "HR@10", "--split", "test", "--data-dir", r.Data);
        Ok(text);
        Assert.Contains("test HR@10 at epoch 8: forecast ", text.Out, StringComparison.Ordinal);
        Assert.Contains("from 8 evaluations up to epoch 8", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooFewEvaluationsSaysHowManyAreNeeded()
    {
        var r = await Registry.Value;
        var result = await Plaw.RunAsync("forecast", Id(r.Short), "--data-dir", r.Data);
        Ok(result);
        Assert.Contains("valid NDCG@10 at epoch 3: no forecast: a learning-curve forecast needs at least 4 points", result.Out, StringComparison.Ordinal);
        Assert.Contains("it has 3", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccuracyBackTestsCompletedRunsAtAQuarterAndAHalf()
    {
        var r = await Registry.Value;
        var json = Json(await Plaw.RunAsync("forecast", "--accuracy", "--data-dir", r.Data, "--json"));
        Assert.Equal(2, json.GetProperty("runs").GetInt32());
        var checks = json.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("series").GetString() == "valid NDCG@10").ToList();
        // 8 epochs: 2 evaluations by 25 % (refused), 4 by 50 %; 3 epochs: too few at both.
        var half = checks.Single(c => c.GetProperty("runId").GetInt32() == r.Long && c.GetProperty("fraction").GetDouble() == 0.5);
        Assert.Equal(4, half.GetProperty("points").GetInt32());
        var error = half.GetProperty("forecast").GetDouble() - half.GetProperty("truth").GetDouble();
        Assert.Equal(Math.Abs(error), half.GetProperty("absoluteError").GetDouble(), 12);
        Assert.All(checks.Where(c => c.GetProperty("runId").GetInt32() == r.Short || c.GetProperty("fraction").GetDouble() == 0.25),
            c => Assert.Contains("at least 4", c.GetProperty("refusal").GetString(), StringComparison.Ordinal));
        var summary = json.GetProperty("summary").EnumerateArray().Single(s => s.GetProperty("series").GetString() == "valid NDCG@10" &&
                                                                             s.GetProperty("fraction").GetDouble() == 0.5);
        Assert.Equal((2, 1), (summary.GetProperty("curves").GetInt32(), summary.GetProperty("forecast").GetInt32()));
        Assert.Equal(half.GetProperty("absoluteError").GetDouble(), summary.GetProperty("meanAbsoluteError").GetDouble(), 12);

        var table = await Plaw.RunAsync("forecast", "--accuracy", "--data-dir", r.Data);
        Ok(table);
        Assert.Contains("Forecast accuracy on 2 completed runs", table.Out, StringComparison.Ordinal);
        Assert.Contains("median rel. err", table.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "Give a run id")]
    [InlineData(new[] { "1", "--accuracy" }, "give no run id")]
    [InlineData(new[] { "999" }, "Run 999 does not exist.")]
    [InlineData(new[] { "1", "--split", "train" }, "--split 'train': expected valid or test.")]
    public async Task BadInputExitsTwoWithOneLine(string[] args, string message)
    {
        var r = await Registry.Value;
        var result = await Plaw.RunAsync(["forecast", .. args, "--data-dir", r.Data]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
