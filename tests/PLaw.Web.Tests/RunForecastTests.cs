using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Laws.Forecast;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The Run page's learning-curve forecast: drawn and stated after each evaluation, the same numbers as the library.</summary>
public sealed class RunForecastTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(90);

    /// <summary>Six short epochs on the demo data, evaluated after each.</summary>
    private static readonly RunOptions Six = new() { Layers = 1, Dim = 16, MaxLength = 20, BatchSize = 64, Epochs = 6, EvalEvery = 1, Seed = 3, Threads = 2 };

    private ServiceProvider Registry() => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();

    private async Task<int> QueueAsync(RunOptions options)
    {
        await using var services = Registry();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        return (await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id, options)).Id;
    }

    private Task WaitForAsync(string sql, string what) =>
        RegistryFile.WaitWhileTrainingMovesAsync(dashboard.Server.RegistryPath, () => RegistryFile.Scalar<long>(dashboard.Server.RegistryPath, sql) > 0, Stall, what);

    private static double Attribute(string? value) => double.Parse(value!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ForecastFollowsEachEvaluationLiveAndMatchesTheLibrary()
    {
        var runId = await QueueAsync(Six);
        var page = await dashboard.OpenAsync($"/runs/{runId}");
        await page.EvaluateAsync("window.plawSamePage = true");
        var forecast = page.Locator("#forecast");

        // After four evaluations: a forecast from 4, and the chart holds valid + test points and three band series from the last
        // evaluated epoch to epoch 6 (one point per epoch each).
        await WaitForAsync($"SELECT COUNT(*) >= 4 FROM MetricPoints WHERE RunId = {runId} AND Split = 'valid' AND Name = 'NDCG@10'", "four evaluations");
        var seen = await (await page.WaitForFunctionAsync("""
            () => {
                const f = document.querySelector('#forecast'), c = document.querySelector('[data-chart=metrics]');
                if (!f || !f.dataset.points || !c) return null;
                const n = Number(f.dataset.points);
                return Number(c.dataset.points) === 2 * n + 3 * (6 - n + 1) ? n : null;
            }
            """, null, new() { Timeout = 30_000 })).JsonValueAsync<int>();
        Assert.InRange(seen, 4, 6);

        await WaitForAsync($"SELECT COUNT(*) FROM Runs WHERE Id = {runId} AND Status = 'Completed'", "the run to complete");
        await Assertions.Expect(forecast).ToHaveAttributeAsync("data-points", "6");
        Assert.True(await page.EvaluateAsync<bool>("window.plawSamePage === true"), "The page reloaded instead of updating live.");

        // The same evaluations through the library give the same numbers, to the last digit.
        await using var services = Registry();
        var points = (await services.GetRequiredService<MetricStore>().SeriesAsync(runId, MetricSplits.Valid, "NDCG@10"))
            .Select(p => ((double)p.Epoch, p.Value)).ToList();
        var expected = CurveForecaster.Forecast(points, 6, CurveDirection.Rising);
        Assert.Equal(expected.Value, Attribute(await forecast.GetAttributeAsync("data-value")));
        Assert.Equal(expected.Low, Attribute(await forecast.GetAttributeAsync("data-low")));
        Assert.Equal(expected.High, Attribute(await forecast.GetAttributeAsync("data-high")));
        Assert.Equal(6, Attribute(await forecast.GetAttributeAsync("data-target")));
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        await Assertions.Expect(forecast).ToHaveTextAsync(
            $"Forecast final valid NDCG@10 at epoch 6: {F(expected.Value)} (90 % interval {F(expected.Low)}–{F(expected.High)}) from 6 evaluations.");
        await Accessibility.AssertCleanAsync(page, "a run page with its forecast (light)");

        var dark = await dashboard.OpenAsync($"/runs/{runId}", dark: true);
        await Assertions.Expect(dark.Locator("#forecast")).ToHaveAttributeAsync("data-value", await forecast.GetAttributeAsync("data-value") ?? "");
        await Accessibility.AssertCleanAsync(dark, "a run page with its forecast (dark)");

        // The final training loss is forecast too, by step to the run's last step, from the loss averaged over 60 step buckets,
        // and drawn on the loss chart: at the last step, its line and band's two edges are 3 points.
        var steps = RegistryFile.Scalar<long>(dashboard.Server.RegistryPath, $"SELECT StepsDone FROM Runs WHERE Id = {runId}");
        var lossForecast = dark.Locator("#loss-forecast");
        // It is worked out in the background after the page renders (a few hundred refits): a busy machine takes a while.
        await Assertions.Expect(lossForecast).ToHaveAttributeAsync("data-target", steps.ToString(CultureInfo.InvariantCulture), new() { Timeout = 120_000 });
        var loss = (await services.GetRequiredService<MetricStore>().SeriesAsync(runId, MetricSplits.Train, "loss", 60))
            .Where(p => p.Step > 0).Select(p => ((double)p.Step, p.Value)).ToList();
        var expectedLoss = CurveForecaster.Forecast(loss, steps, CurveDirection.Falling);
        Assert.Equal(expectedLoss.Value, Attribute(await lossForecast.GetAttributeAsync("data-value")));
        Assert.Equal(expectedLoss.Low, Attribute(await lossForecast.GetAttributeAsync("data-low")));
        Assert.Equal(expectedLoss.High, Attribute(await lossForecast.GetAttributeAsync("data-high")));
        Assert.True(expectedLoss.Value < loss[0].Item2, $"A falling loss is forecast to end at {expectedLoss.Value}, above its first value {loss[0].Item2}.");
        await Assertions.Expect(lossForecast).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            $@"^Forecast final training loss at step {steps.ToString("N0", CultureInfo.InvariantCulture)}: {F(expectedLoss.Value)} \(90 % interval {F(expectedLoss.Low)}–{F(expectedLoss.High)}\) from \d+ loss points\.$"));
        await Assertions.Expect(lossForecast).ToHaveAttributeAsync("data-drawn", "3");
        await Assertions.Expect(dark.Locator("[data-chart=loss]")).ToHaveAttributeAsync("data-forecast-points", "3");
        // On the time axis it is stated but not drawn (a run's end time is not known in advance).
        var byTime = await dashboard.OpenAsync($"/runs/{runId}?x=time");
        await Assertions.Expect(byTime.Locator("#loss-forecast")).ToHaveAttributeAsync("data-drawn", "0", new() { Timeout = 120_000 });
        await Assertions.Expect(byTime.Locator("[data-chart=loss]")).ToHaveAttributeAsync("data-forecast-points", "0");
    }

    [Fact]
    public async Task TooFewEvaluationsSaySoInsteadOfAForecast()
    {
        var runId = await QueueAsync(Six with { Epochs = 3, Seed = 4 });
        await WaitForAsync($"SELECT COUNT(*) FROM Runs WHERE Id = {runId} AND Status = 'Completed'", "the short run to complete");
        var page = await dashboard.OpenAsync($"/runs/{runId}");
        var forecast = page.Locator("#forecast");
        await Assertions.Expect(forecast).ToHaveTextAsync(
            "No forecast of the final valid NDCG@10 yet: it needs at least 4 evaluations, and 3 have been made.");
        Assert.Null(await forecast.GetAttributeAsync("data-value"));
        // Valid and test points only: no forecast series.
        await Assertions.Expect(page.Locator("[data-chart=metrics]")).ToHaveAttributeAsync("data-points", "6");
    }
}
