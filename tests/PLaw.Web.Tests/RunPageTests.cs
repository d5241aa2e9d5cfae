using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

namespace PLaw.Web.Tests;

/// <summary>The live Run page, Compare and New run in headless Chromium against the real dashboard and its registry file.</summary>
public sealed class RunPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    /// <summary>How long training may stand still before a wait gives up (a whole run may take longer on a loaded machine).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(90);

    private T Scalar<T>(string sql) => RegistryFile.Scalar<T>(dashboard.Server.RegistryPath, sql);

    /// <summary>A small run on the demo data whose epochs take a few seconds (250 steps of 8 users).</summary>
    private static readonly RunOptions Watched = new()
    {
        Layers = 2, Dim = 64, MaxLength = 50, Dropout = 0.2, BatchSize = 8, Epochs = 4, EvalEvery = 1, Seed = 5, Threads = 2,
    };

    /// <summary>Runs until cancelled: keeps the one worker busy so the next run waits in the queue.</summary>
    private static readonly RunOptions Blocker = new() { Layers = 1, Dim = 16, MaxLength = 20, Epochs = 400, EvalEvery = 400, BatchSize = 16, Threads = 2 };

    /// <summary>Queues the way another process (the CLI) does: straight into the registry file.</summary>
    private async Task<int> QueueAsync(RunOptions options)
    {
        await using var services = Registry();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        return (await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id, options)).Id;
    }

    /// <summary>Asks for a cancel as the CLI does (the worker sees it within its poll interval) and waits until it took effect.</summary>
    private async Task CancelAndWaitAsync(int runId)
    {
        await using (var services = Registry())
            await services.GetRequiredService<RunCatalog>().CancelAsync(runId);
        await WaitForStatusAsync(runId, "Cancelled", TimeSpan.FromSeconds(60));
    }

    private async Task WaitForStatusAsync(int runId, string status, TimeSpan timeout)
    {
        try
        {
            await RegistryFile.WaitUntilAsync(() => Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}") == status, timeout, $"run {runId} to be {status}");
        }
        catch (TimeoutException e)
        {
            var log = dashboard.Server.Log;
            throw new TimeoutException($"{e.Message} It is {Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}")}; " +
                                       $"error: {Scalar<string?>($"SELECT Error FROM Runs WHERE Id = {runId}")}. Server log:\n{log[Math.Max(0, log.Length - 4000)..]}", e);
        }
    }

    private ServiceProvider Registry() => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{what} at 390 px is {overflow} px wider than the screen.");
    }

    /// <summary>Points of the loss curve itself: the chart's points less the loss forecast's line and band (read together).</summary>
    private static Task<long> LossCurvePointsAsync(IPage page) => page.EvaluateAsync<long>(
        "() => { const c = document.querySelector('[data-chart=loss]'); return Number(c.dataset.points) - Number(c.dataset.forecastPoints || 0); }");

    private static async Task ExpectLossCurvePointsAsync(IPage page, long expected)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "n => { const c = document.querySelector('[data-chart=loss]'); return !!c && Number(c.dataset.points) - Number(c.dataset.forecastPoints || 0) === n; }",
                expected, new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The loss chart draws {await LossCurvePointsAsync(page)} loss points; the registry stores {expected}.");
        }
    }

    private sealed record Snapshot(long Steps, int EpochsDone, double Progress, string Epoch);

    /// <summary>The page function's first non-null value within <see cref="Stall"/>; on a timeout, the run's row says how far
    /// training had got (a page that missed it, or a run that never got there).</summary>
    private async Task<string> WhenAsync(IPage page, string what, string function, int runId)
    {
        try
        {
            return await (await page.WaitForFunctionAsync(function, null, new() { Timeout = (float)Stall.TotalMilliseconds, PollingInterval = 50 }))
                .JsonValueAsync<string>() ?? throw new InvalidOperationException($"{what}: the page function returned no text.");
        }
        catch (TimeoutException)
        {
            var row = Scalar<string>($"SELECT Status || ', steps ' || StepsDone || ', epochs ' || EpochsDone FROM Runs WHERE Id = {runId}");
            var shown = await page.EvaluateAsync<string>("() => { const s = document.querySelector('#run-summary'); return s ? `steps ${s.dataset.stepsDone}, epochs ${s.dataset.epochsDone}` : 'no summary'; }");
            throw new TimeoutException($"Waited {Stall.TotalSeconds:F0} s for {what}: the registry has {row}; the page shows {shown}.");
        }
    }

    private sealed record FirstValidation(string Title, string Protocol, string Users, string Ndcg, bool Final, string Status);

    /// <summary>
    /// Page script that stores in <c>window[global]</c> the value <paramref name="snapshot"/> (a JS function returning a string,
    /// or null while the state is not on the page) returns at the first render that has it: a state may be on screen only
    /// briefly (a fast machine's first epoch, a loaded machine's first evaluation), which a poll of the page could miss.
    /// </summary>
    private static string FirstRenderRecorder(string global, string snapshot) => $$"""
        () => {
            const snapshot = {{snapshot}};
            const record = () => {
                if (window.{{global}}) return true;
                const value = snapshot();
                if (value == null) return false;
                window.{{global}} = value;
                return true;
            };
            if (record()) return;
            const observer = new MutationObserver(() => { if (record()) observer.disconnect(); });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        }
        """;

    private static readonly string FirstValidationRecorder = FirstRenderRecorder("plawFirstValidation", """
        () => {
            const latest = document.querySelector('#latest-validation');
            if (!latest) return null;
            const text = selector => document.querySelector(selector)?.textContent.trim() ?? '';
            return JSON.stringify({
                Title: text('#results-title'), Protocol: text('.run-protocol'),
                Users: latest.querySelector('tr[data-metric=users] td')?.textContent.trim() ?? '',
                Ndcg: latest.querySelector("tr[data-metric='NDCG@10'] td")?.textContent.trim() ?? '',
                Final: !!document.querySelector('#final-metrics'),
                Status: document.querySelector('.run-status')?.dataset.status ?? '' });
        }
        """);

    /// <summary>Inside the first epoch: steps done, no epoch finished.</summary>
    private static readonly string FirstEpochRecorder = FirstRenderRecorder("plawFirstEpoch", """
        () => {
            const s = document.querySelector('#run-summary');
            if (!s || Number(s.dataset.stepsDone) <= 0 || Number(s.dataset.epochsDone) !== 0) return null;
            return JSON.stringify({ Steps: Number(s.dataset.stepsDone), EpochsDone: Number(s.dataset.epochsDone),
                Progress: Number(document.querySelector('#run-progress').dataset.progress),
                Epoch: document.querySelector('#run-epoch').textContent.trim() });
        }
        """);

    [Fact]
    public async Task ALiveRunShowsWhatAReloadShowsMovesWithinItsFirstEpochAndKeepsItsPointsAcrossAThemeChange()
    {
        var blocker = await QueueAsync(Blocker);
        await WaitForStatusAsync(blocker, "Running", TimeSpan.FromSeconds(60));
        var runId = await QueueAsync(Watched);
        try
        {
            // Opened while queued: everything after this arrives live.
            var page = await dashboard.OpenAsync($"/runs/{runId}");
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "queued");
            await Assertions.Expect(page.Locator("#no-metrics")).ToBeVisibleAsync();
            await page.EvaluateAsync("window.plawSamePage = true");
            // The first evaluation may be on screen only briefly (a loaded machine can finish the run while the steps below
            // run), so the page records what it showed at the first render that had it.
            await page.EvaluateAsync(FirstValidationRecorder);
            await page.EvaluateAsync(FirstEpochRecorder);
            await CancelAndWaitAsync(blocker);

            // Within the first epoch (steps done, no epoch finished): the header names epoch 1 and the bar has moved. On a
            // loaded machine the run may take a while to start; the failure says how far the registry had got.
            await RegistryFile.WaitUntilAsync(() => Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}") != "Queued", Stall, $"run {runId} to start");
            var first = JsonSerializer.Deserialize<Snapshot>(await WhenAsync(page, $"run {runId} within its first epoch",
                "() => window.plawFirstEpoch ?? null", runId))!;
            Assert.Equal("1", first.Epoch);
            Assert.True(first.Progress > 0, $"The progress bar is at {first.Progress} after {first.Steps} steps of the first epoch.");
            Assert.Equal(first.Steps / (250.0 * Watched.Epochs), first.Progress, 4);
            await Assertions.Expect(page.Locator("#run-epochs")).ToHaveTextAsync(Watched.Epochs.ToString(CultureInfo.InvariantCulture));
            await Accessibility.AssertCleanAsync(page, "a live run (light)");

            // A theme change redraws the loss chart: it keeps every point received so far, and appends continue afterwards.
            var loss = page.Locator("[data-chart=loss]");
            await Assertions.Expect(loss).ToHaveAttributeAsync("data-appended", new Regex("^([3-9]|\\d{2,})$"), new() { Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-chart=loss]').dataset.points) >= 100", null,
                new() { Timeout = 60_000 });
            var beforeToggle = await LossCurvePointsAsync(page);
            var toggle = page.Locator("#theme-toggle");
            // One click at a time: the toggle cycles system → light → dark → system, and a click sent before the last one has
            // rendered would cycle past dark.
            for (var click = 0; click < 3 && await toggle.GetAttributeAsync("data-mode") != "dark"; click++)
            {
                var mode = await toggle.GetAttributeAsync("data-mode");
                await toggle.ClickAsync();
                await Assertions.Expect(toggle).Not.ToHaveAttributeAsync("data-mode", mode!);
            }
            await Assertions.Expect(toggle).ToHaveAttributeAsync("data-dark", "true");
            await Assertions.Expect(loss).ToHaveAttributeAsync("data-theme", "plaw-dark");
            var redrawn = await LossCurvePointsAsync(page);
            Assert.True(redrawn >= beforeToggle, $"After the theme change the loss chart holds {redrawn} points; it held {beforeToggle} before.");

            // The first evaluation: shown as the latest validation (not as final test metrics), counts as whole numbers.
            var shown = JsonSerializer.Deserialize<FirstValidation>(await (await page.WaitForFunctionAsync(
                "() => window.plawFirstValidation ?? null", null, new() { Timeout = 60_000 })).JsonValueAsync<string>())!;
            Assert.StartsWith("Latest validation (epoch", shown.Title);
            Assert.Contains("100 sampled negatives", shown.Protocol);
            Assert.Equal("2,000", shown.Users);
            Assert.Matches(@"^0\.\d{4}$", shown.Ndcg);
            Assert.False(shown.Final, "The first evaluation was shown beside final test metrics.");
            Assert.Equal("running", shown.Status);
            // Someone opening the run now (mid-run, its test split evaluated already) sees the latest validation too.
            // The run may finish before that page renders (a quiet machine trains it in seconds), so status and table are read in
            // one go: a running run shows the latest validation and no final metrics, a completed one the final metrics.
            var midRun = await dashboard.OpenAsync($"/runs/{runId}");
            var seen = await (await midRun.WaitForFunctionAsync("""
                () => {
                    const status = document.querySelector('.run-status')?.dataset.status;
                    const latest = !!document.querySelector('#latest-validation'), final = !!document.querySelector('#final-metrics');
                    if (!status || (!latest && !final)) return null;
                    return JSON.stringify({ status, latest, final, title: document.querySelector('#results-title')?.textContent ?? '' });
                }
                """, null, new() { Timeout = 30_000, PollingInterval = 20 })).JsonValueAsync<string>();
            var view = JsonSerializer.Deserialize<JsonElement>(seen!);
            if (view.GetProperty("status").GetString() == "running")
            {
                Assert.True(view.GetProperty("latest").GetBoolean() && !view.GetProperty("final").GetBoolean(), $"A page opened mid-run showed {seen}.");
                Assert.StartsWith("Latest validation (epoch", view.GetProperty("title").GetString());
            }
            else
                Assert.True(view.GetProperty("final").GetBoolean() && !view.GetProperty("latest").GetBoolean(), $"A page opened after the run showed {seen}.");
            await midRun.Context.CloseAsync();
            await Accessibility.AssertCleanAsync(page, "a live run with its first evaluation (dark)");

            // Completed, live: final test metrics now, and the evaluation chart holds exactly the stored points, as a reload does.
            await RegistryFile.WaitWhileTrainingMovesAsync(dashboard.Server.RegistryPath,
                () => Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}") is not ("Running" or "Queued"), Stall, $"run {runId} to finish");
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "completed");
            await Assertions.Expect(page.Locator("#final-metrics tr[data-metric=users] td")).ToHaveTextAsync("2,000");
            await Assertions.Expect(page.Locator("#results-title")).ToHaveTextAsync("Final test metrics");
            await Assertions.Expect(page.Locator("#run-epoch")).ToHaveTextAsync(Watched.Epochs.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(page.Locator("#run-progress")).ToHaveAttributeAsync("data-progress", "1");
            var evalPoints = Scalar<long>($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {runId} AND Name = 'NDCG@10' AND Split IN ('valid', 'test')");
            Assert.Equal(2L * Watched.Epochs, evalPoints);
            var metrics = page.Locator("[data-chart=metrics]");
            // Plus the forecast (RunForecastTests): its dashed line and its band's two edges, one point each at the last epoch.
            var drawn = evalPoints + 3;
            await Assertions.Expect(metrics).ToHaveAttributeAsync("data-points", drawn.ToString(CultureInfo.InvariantCulture));
            var lossStored = Scalar<long>($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {runId} AND Split = 'train' AND Name = 'loss'");
            await ExpectLossCurvePointsAsync(page, lossStored);
            Assert.True(await page.EvaluateAsync<bool>("window.plawSamePage === true"), "The page reloaded instead of updating live.");
            Assert.True(await page.EvaluateAsync<int>("(window.plawLatencies || []).length") > 0);

            await page.ReloadAsync();
            await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.Locator("[data-chart=metrics]")).ToHaveAttributeAsync("data-points", drawn.ToString(CultureInfo.InvariantCulture));
            await ExpectLossCurvePointsAsync(page, lossStored);
        }
        finally
        {
            foreach (var id in new[] { blocker, runId })
                if (Scalar<string>($"SELECT Status FROM Runs WHERE Id = {id}") is "Running" or "Queued")
                    await CancelAndWaitAsync(id);
        }
    }

    [Fact]
    public async Task ARunQueuedFromTheFormTrainsLiveIsCancelledAfterAConfirmationReQueuedAndClonedAndItsLinkReproducesTheView()
    {
        var page = await dashboard.OpenAsync("/runs/new");
        await MudInputs.FillAsync(page, ("run-layers", "1"), ("run-dim", "16"), ("run-epochs", "400"), ("run-batch", "32"), ("run-tags-new", "live, cancel"));
        await page.Locator("#queue-run").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var runId = int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);
        Assert.Equal(16L, Scalar<long>($"SELECT Dim FROM Runs WHERE Id = {runId}"));
        Assert.Equal("live,cancel", Scalar<string>($"SELECT Tags FROM Runs WHERE Id = {runId}"));
        try
        {
            // The loss chart receives new points while we watch, appended in place.
            await page.EvaluateAsync("window.plawSamePage = true");
            var chart = page.Locator("[data-chart=loss]");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-appended", new Regex("^([3-9]|\\d{2,})$"), new() { Timeout = 60_000 });
            var before = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
            await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-points", before.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
            Assert.True(await page.EvaluateAsync<bool>("window.plawSamePage === true"), "The page reloaded instead of updating live.");
            Assert.True(await page.EvaluateAsync<int>("(window.plawLatencies || []).length") > 0);
            await Assertions.Expect(page.Locator("[data-option=loss] td")).ToHaveTextAsync("BCE");
            await Assertions.Expect(page.Locator("[data-option=model] td")).ToHaveTextAsync("SASRec");

            // Cancel asks first; keeping it training changes nothing. (The "queued" snackbar goes first: under the dialog's
            // backdrop it would be dimmed, which axe reports.)
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
            await page.Locator("#cancel-run").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog).ToContainTextAsync($"Cancel run {runId}?");
            await Accessibility.AssertCleanAsync(page, "the cancel confirmation");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep training" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0);
            Assert.Equal("Running", Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}"));

            await page.Locator("#cancel-run").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync(new Regex("[Cc]ancel"));
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });
            Assert.Equal("Cancelled", Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}"));
            var stored = Scalar<long>($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {runId} AND Split = 'train' AND Name = 'loss'");
            Assert.True(File.Exists(Path.Combine(dashboard.Server.DataDirectory, "runs", $"run-{runId}", "checkpoint.bin")));
            await Assertions.Expect(page.Locator("#run-events")).ToContainTextAsync("cancelled; its checkpoint and history are kept");

            // Change the view; the URL carries it, and a second person opening it sees the same.
            await MudInputs.ChooseAsync(page, "run-x", "epoch");
            await page.WaitForURLAsync(new Regex("x=epoch"));
            await ExpectLossCurvePointsAsync(page, stored);
            var shared = page.Url[dashboard.Server.BaseUrl.Length..];
            var second = await dashboard.OpenAsync(shared);
            await Assertions.Expect(second.Locator("#run-title")).ToHaveTextAsync(await page.Locator("#run-title").InnerTextAsync());
            await Assertions.Expect(second.Locator("#run-x")).ToHaveValueAsync("epoch");
            await ExpectLossCurvePointsAsync(second, stored);
            await Assertions.Expect(second.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "cancelled");

            // Re-queue: it trains again from its checkpoint; then cancel it for good.
            await page.Locator("#requeue-run").ClickAsync();
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", new Regex("^(queued|running)$"));
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#run-events")).ToContainTextAsync("resuming from its checkpoint", new() { Timeout = 30_000 });
            await page.Locator("#cancel-run").ClickAsync();
            await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 30_000 });

            // Clone with changes: the form holds the run's options.
            await page.Locator("#clone-run").ClickAsync();
            await page.WaitForURLAsync(new Regex($@"/runs/new\?clone={runId}$"));
            await Assertions.Expect(page.Locator("#clone-note")).ToContainTextAsync($"run {runId}");
            await Assertions.Expect(page.Locator("#run-dim")).ToHaveValueAsync("16");
            await Assertions.Expect(page.Locator("#run-epochs")).ToHaveValueAsync("400");
            await Assertions.Expect(page.Locator("#run-tags-new")).ToHaveValueAsync("live,cancel");
        }
        finally
        {
            if (Scalar<string>($"SELECT Status FROM Runs WHERE Id = {runId}") is "Running" or "Queued")
                await CancelAndWaitAsync(runId);
        }
    }

    private static string Label(EvalProtocol p) => p switch
    {
        EvalProtocol.Sampled100 => "100 sampled negatives",
        EvalProtocol.Sampled2500 => "2,500 candidates",
        _ => "full ranking",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheNewRunFormStartsFromRunOptionsDefaultsWithDisplayLabels(bool dark)
    {
        var defaults = new RunOptions();
        var page = await dashboard.OpenAsync("/runs/new", dark);
        string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#run-layers")).ToHaveValueAsync(Text(defaults.Layers));
        await Assertions.Expect(page.Locator("#run-dim")).ToHaveValueAsync(Text(defaults.Dim));
        await Assertions.Expect(page.Locator("#run-heads")).ToHaveValueAsync(Text(defaults.Heads));
        await Assertions.Expect(page.Locator("#run-max-len")).ToHaveValueAsync(Text(defaults.MaxLength));
        await Assertions.Expect(page.Locator("#run-dropout")).ToHaveValueAsync(Text(defaults.Dropout));
        await Assertions.Expect(page.Locator("#run-lr")).ToHaveValueAsync(Text(defaults.LearningRate));
        await Assertions.Expect(page.Locator("#run-epochs")).ToHaveValueAsync(Text(defaults.Epochs));
        await Assertions.Expect(page.Locator("#run-eval-every")).ToHaveValueAsync(Text(defaults.EvalEvery));
        await Assertions.Expect(page.Locator("#run-batch")).ToHaveValueAsync(Text(defaults.BatchSize));
        await Assertions.Expect(page.Locator("#run-seed")).ToHaveValueAsync(Text(defaults.Seed));
        await Assertions.Expect(page.Locator("#run-threads")).ToHaveValueAsync(Text(defaults.Threads));
        await Assertions.Expect(page.Locator("#run-sgd-epoch")).ToHaveValueAsync("");
        Assert.Equal((ModelFamily.Sasrec, LossKind.Bce, OptimizerKind.Adam, Precision.Fp32),
            (defaults.Model, defaults.Loss, defaults.Optimizer, defaults.Precision));
        await Assertions.Expect(page.Locator("#run-model")).ToHaveValueAsync("SASRec");
        await Assertions.Expect(page.Locator("#run-variant")).ToHaveValueAsync("post-LN (pmixer)");
        await Assertions.Expect(page.Locator("#run-loss")).ToHaveValueAsync("BCE");
        await Assertions.Expect(page.Locator("#run-optimizer")).ToHaveValueAsync("Adam");
        await Assertions.Expect(page.Locator("#run-precision")).ToHaveValueAsync("fp32");
        await Assertions.Expect(page.Locator("#run-eval")).ToHaveValueAsync(Label(defaults.Eval));
        await Assertions.Expect(page.Locator("#run-display-name")).ToHaveTextAsync(defaults.DisplayName);
        foreach (var id in new[] { "run-dataset", "run-model", "run-layers", "run-dim", "run-heads", "run-loss", "run-eval", "run-epochs" })
            await Assertions.Expect(page.Locator($"label[for={id}]")).ToHaveCountAsync(1);
        await Accessibility.AssertCleanAsync(page, $"the new-run form ({(dark ? "dark" : "light")})");

        // The selects list display names, never raw enum names.
        await MudInputs.OpenAsync(page, "run-model");
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveTextAsync(["SASRec", "HSTU", "LLaMA"]);
        await page.Keyboard.PressAsync("Escape");

        var narrow = await dashboard.OpenAsync("/runs/new", dark, width: 390);
        await Assertions.Expect(narrow.Locator("#queue-run")).ToBeVisibleAsync();
        await AssertFitsAsync(narrow, "the new-run form");
    }

    [Fact]
    public async Task ABadCombinationIsShownBesideItsFieldAndRefusedBeforeAnythingIsQueued()
    {
        var runs = Scalar<long>("SELECT COUNT(*) FROM Runs");
        var page = await dashboard.OpenAsync("/runs/new");
        await MudInputs.ChooseAsync(page, "run-model", "LLaMA");
        await Assertions.Expect(page.Locator("#run-variant")).ToHaveValueAsync("standard");
        await MudInputs.FillAsync(page, "run-dim", "30");
        await MudInputs.FillAsync(page, "run-heads", "2");   // head size 15: rotary embeddings need it even
        var heads = page.Locator("[data-field=heads]");
        await Assertions.Expect(heads.Locator("#run-heads-problem")).ToContainTextAsync("even head size");
        await page.Locator("#queue-run").ClickAsync();
        await Assertions.Expect(page.Locator("#run-problems")).ToContainTextAsync("even head size");
        Assert.Equal(runs, Scalar<long>("SELECT COUNT(*) FROM Runs"));
        Assert.EndsWith("/runs/new", page.Url);

        // Fixed, the message beside the field goes.
        await MudInputs.FillAsync(page, "run-heads", "1");
        await Assertions.Expect(heads.Locator("#run-heads-problem")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task CompareAndACompletedRunShowTheProtocolBesideEveryMetricAndPassAxeInBothModesAndAt390Px()
    {
        var quick = new RunOptions { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, EvalEvery = 1, BatchSize = 64, Threads = 2 };
        var a = await QueueAsync(quick);
        var b = await QueueAsync(quick with { Seed = 7, Eval = EvalProtocol.Full });
        await RegistryFile.WaitWhileTrainingMovesAsync(dashboard.Server.RegistryPath,
            () => Scalar<long>($"SELECT COUNT(*) FROM Runs WHERE Id IN ({a}, {b}) AND Status = 'Completed'") == 2, Stall, "two quick runs to complete");

        foreach (var dark in new[] { false, true })
        {
            var run = await dashboard.OpenAsync($"/runs/{a}", dark);
            await Assertions.Expect(run.Locator("#final-metrics")).ToBeVisibleAsync();
            await Assertions.Expect(run.Locator(".run-protocol")).ToContainTextAsync("100 sampled negatives");
            await Assertions.Expect(run.Locator("#final-metrics tr[data-metric=users] td")).ToHaveTextAsync("2,000");
            await Assertions.Expect(run.Locator("[data-option=precision] td")).ToHaveTextAsync("fp32");
            await Assertions.Expect(run.Locator("[data-option=eval] td")).ToHaveTextAsync("100 sampled negatives");
            await Assertions.Expect(run.Locator("[data-chart-figure=loss] figcaption")).ToContainTextAsync("BCE training loss");
            await Accessibility.AssertCleanAsync(run, $"a completed run ({(dark ? "dark" : "light")})");

            var compare = await dashboard.OpenAsync($"/compare?runs={a},{b},987654,abc&smooth=oops", dark);
            var rows = compare.Locator("#compare-runs tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await Assertions.Expect(compare.Locator($"#compare-runs tr[data-run-id='{a}'] td[data-protocol]")).ToHaveTextAsync("100 sampled negatives");
            await Assertions.Expect(compare.Locator($"#compare-runs tr[data-run-id='{b}'] td[data-protocol]")).ToHaveTextAsync("full ranking");
            await Assertions.Expect(compare.Locator("#compare-protocols")).ToBeVisibleAsync();
            await Assertions.Expect(compare.Locator("#compare-missing")).ToContainTextAsync("987654");
            await Assertions.Expect(compare.Locator("#compare-invalid")).ToContainTextAsync("abc");
            await Assertions.Expect(compare.Locator("#compare-ignored")).ToContainTextAsync("smooth=oops");
            await Assertions.Expect(compare.Locator("[data-chart=compare]")).Not.ToHaveAttributeAsync("data-points", "0");
            await Accessibility.AssertCleanAsync(compare, $"compare ({(dark ? "dark" : "light")})");
        }

        // The series choice goes into the link; evaluation series are drawn per run.
        var page = await dashboard.OpenAsync($"/compare?runs={a},{b}");
        await MudInputs.ChooseAsync(page, "compare-series", "test/NDCG@10");
        await page.WaitForURLAsync(new Regex("series=test%2FNDCG%4010|series=test/NDCG@10"));
        await Assertions.Expect(page.Locator("[data-chart=compare]")).ToHaveAttributeAsync("data-points", "2");
        var empty = await dashboard.OpenAsync("/compare");
        await Assertions.Expect(empty.Locator("#compare-empty")).ToContainTextAsync("runs page");
        await Accessibility.AssertCleanAsync(empty, "compare with nothing chosen");

        foreach (var path in new[] { $"/runs/{a}", $"/compare?runs={a},{b}" })
        {
            var narrow = await dashboard.OpenAsync(path, width: 390);
            await AssertFitsAsync(narrow, path);
        }
    }
}
