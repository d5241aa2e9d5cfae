using System.Globalization;
using System.Text.Json.Nodes;
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

/// <summary>Backend and device on the New run form, the Run page and Compare, with runs the dashboard's worker trains on
/// the native engine and on libtorch (CPU), in headless Chromium against the real dashboard and its registry file.</summary>
public sealed class TorchBackendPageTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    /// <summary>How long training may stand still before a wait gives up (a whole run may take longer on a loaded machine).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(120);

    /// <summary>One short epoch on the demo data: 1 block of width 8.</summary>
    private static readonly RunOptions Tiny = new() { Layers = 1, Dim = 8, MaxLength = 20, Epochs = 1, EvalEvery = 1, BatchSize = 64, Threads = 2 };

    private T Scalar<T>(string sql) => RegistryFile.Scalar<T>(dashboard.Server.RegistryPath, sql);

    private ServiceProvider Registry() => new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(dashboard.Server.RegistryPath).BuildServiceProvider();

    /// <summary>Queues the way another process (the CLI) does: straight into the registry file.</summary>
    private async Task<int> QueueAsync(RunOptions options)
    {
        await using var services = Registry();
        var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov")
                   ?? throw new InvalidOperationException("The dashboard did not seed its demo dataset.");
        return (await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id, options)).Id;
    }

    private async Task WaitCompletedAsync(params int[] ids)
    {
        var list = string.Join(", ", ids);
        try
        {
            await RegistryFile.WaitWhileTrainingMovesAsync(dashboard.Server.RegistryPath,
                () => Scalar<long>($"SELECT COUNT(*) FROM Runs WHERE Id IN ({list}) AND Status IN ('Completed', 'Failed')") == ids.Length,
                Stall, $"runs {list} to finish");
        }
        catch (TimeoutException e)
        {
            var log = dashboard.Server.Log;
            throw new TimeoutException($"{e.Message} Server log:\n{log[Math.Max(0, log.Length - 4000)..]}", e);
        }
        foreach (var id in ids)
            Assert.True(Scalar<string>($"SELECT Status FROM Runs WHERE Id = {id}") == "Completed",
                $"Run {id} failed: {Scalar<string?>($"SELECT Error FROM Runs WHERE Id = {id}")}");
    }

    [Fact]
    public async Task ATorchRunQueuedFromTheFormTrainsOnLibtorchAndItsPageRowAndCloneSaySo()
    {
        var page = await dashboard.OpenAsync("/runs/new");
        await Assertions.Expect(page.Locator("#run-backend")).ToHaveValueAsync(TrainingBackends.Native);
        await Assertions.Expect(page.Locator("#run-device")).ToHaveValueAsync(DeviceNames.Auto);
        await MudInputs.FillAsync(page, ("run-layers", "1"), ("run-dim", "8"), ("run-max-len", "20"), ("run-epochs", "1"), ("run-eval-every", "1"), ("run-batch", "64"));
        await MudInputs.ChooseAsync(page, "run-backend", TrainingBackends.Torch);
        await MudInputs.FillAsync(page, "run-device", " CPU ");
        await Assertions.Expect(page.Locator("#run-device")).ToHaveValueAsync("cpu");
        foreach (var id in new[] { "run-backend", "run-device" })
            await Assertions.Expect(page.Locator($"label[for={id}]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-field=backend]")).ToContainTextAsync("libtorch through TorchSharp");
        await Assertions.Expect(page.Locator("[data-field=backend] .run-field-problem, [data-field=device] .run-field-problem")).ToHaveCountAsync(0);
        await Accessibility.AssertCleanAsync(page, "the new-run form with backend torch and device cpu");

        await page.Locator("#queue-run").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        var runId = int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture);
        var stored = JsonNode.Parse(Scalar<string>($"SELECT OptionsJson FROM Runs WHERE Id = {runId}"))!;
        Assert.Equal((TrainingBackends.Torch, DeviceNames.Cpu), ((string?)stored["backend"], (string?)stored["device"]));

        await WaitCompletedAsync(runId);
        Assert.Equal(TrainingBackends.Torch, Scalar<string>($"SELECT Backend FROM Runs WHERE Id = {runId}"));
        Assert.Equal(DeviceNames.Cpu, Scalar<string>($"SELECT Device FROM Runs WHERE Id = {runId}"));
        Assert.StartsWith("libtorch 2.10", Scalar<string>($"SELECT Compute FROM Runs WHERE Id = {runId}"));

        // The page opened at queue time learns what trained the run live; a fresh page reads it from the registry.
        foreach (var view in new[] { page, await dashboard.OpenAsync($"/runs/{runId}") })
        {
            var compute = view.Locator("#run-compute");
            await Assertions.Expect(compute).ToHaveAttributeAsync("data-recorded", "true", new() { Timeout = 30_000 });
            await Assertions.Expect(compute).ToContainTextAsync("torch on cpu · libtorch 2.10");
            await Assertions.Expect(compute).ToHaveAttributeAsync("data-backend", TrainingBackends.Torch);
        }
        await Accessibility.AssertCleanAsync(page, "a completed torch run");

        // Clone with changes keeps backend and device.
        var clone = await dashboard.OpenAsync($"/runs/new?clone={runId}");
        await Assertions.Expect(clone.Locator("#clone-note")).ToContainTextAsync($"run {runId}");
        await Assertions.Expect(clone.Locator("#run-backend")).ToHaveValueAsync(TrainingBackends.Torch);
        await Assertions.Expect(clone.Locator("#run-device")).ToHaveValueAsync(DeviceNames.Cpu);
    }

    [Fact]
    public async Task AnInvalidDeviceIsShownBesideItsFieldAndNothingIsQueued()
    {
        var runs = Scalar<long>("SELECT COUNT(*) FROM Runs");
        var page = await dashboard.OpenAsync("/runs/new");
        var device = page.Locator("[data-field=device]");
        await MudInputs.ChooseAsync(page, "run-backend", TrainingBackends.Torch);
        await MudInputs.FillAsync(page, "run-device", "cuda:x");
        await Assertions.Expect(device.Locator("#run-device-problem")).ToContainTextAsync("Device 'cuda:x' is not one of auto, cpu, cuda, cuda:N");
        await Accessibility.AssertCleanAsync(page, "the new-run form with a device problem");
        await page.Locator("#queue-run").ClickAsync();
        await Assertions.Expect(page.Locator("#run-problems")).ToContainTextAsync("Device 'cuda:x'");
        Assert.Equal(runs, Scalar<long>("SELECT COUNT(*) FROM Runs"));
        Assert.EndsWith("/runs/new", page.Url);

        // CUDA is fine for torch; the native engine refuses it, beside the device.
        await MudInputs.FillAsync(page, "run-device", "cuda:1");
        await Assertions.Expect(device.Locator("#run-device-problem")).ToHaveCountAsync(0);
        await MudInputs.ChooseAsync(page, "run-backend", TrainingBackends.Native);
        await Assertions.Expect(device.Locator("#run-device-problem")).ToContainTextAsync("the native engine runs on the CPU only");
        await page.Locator("#queue-run").ClickAsync();
        await Assertions.Expect(page.Locator("#run-problems")).ToContainTextAsync("native engine runs on the CPU only");
        Assert.Equal(runs, Scalar<long>("SELECT COUNT(*) FROM Runs"));

        // bf16 is not on the torch backend yet: said beside the backend.
        await MudInputs.FillAsync(page, "run-device", "cpu");
        await MudInputs.ChooseAsync(page, "run-precision", "bf16");
        await Assertions.Expect(page.Locator("[data-field=backend] .run-field-problem")).ToHaveCountAsync(0);
        await MudInputs.ChooseAsync(page, "run-backend", TrainingBackends.Torch);
        await Assertions.Expect(page.Locator("#run-backend-problem")).ToContainTextAsync("bf16 is not available on the torch backend");
    }

    [Fact]
    public async Task AQueuedRunShowsTheBackendAndDeviceItAsksForAndItsOpenPageLearnsWhatTrainsItOnceItStarts()
    {
        // A native run far longer than the test keeps the one worker busy (until cancelled), so the next run waits in the queue.
        var blocker = await QueueAsync(Tiny with { Epochs = 100_000, EvalEvery = 100_000, BatchSize = 16 });
        int? waiting = null;
        try
        {
            await RegistryFile.WaitUntilAsync(() => Scalar<long>($"SELECT COUNT(*) FROM Runs WHERE Id = {blocker} AND Status = 'Running' AND Backend IS NOT NULL") == 1,
                TimeSpan.FromSeconds(60), $"run {blocker} to start and report its backend");
            waiting = await QueueAsync(Tiny with { Backend = TrainingBackends.Torch, Device = DeviceNames.Cpu, Epochs = 100_000, EvalEvery = 100_000, BatchSize = 16 });
            var page = await dashboard.OpenAsync($"/runs/{waiting}");
            await Assertions.Expect(page.Locator(".run-status").First).ToHaveAttributeAsync("data-status", "queued");
            var compute = page.Locator("#run-compute");
            await Assertions.Expect(compute).ToHaveTextAsync(new Regex(@"Backend:\s+asks for torch on cpu$"));
            await Assertions.Expect(compute).ToHaveAttributeAsync("data-recorded", "false");
            var compare = await dashboard.OpenAsync($"/compare?runs={blocker},{waiting}");
            await Assertions.Expect(compare.Locator($"#compare-runs tr[data-run-id='{waiting}'] td[data-backend]")).ToHaveTextAsync("asks for torch on cpu");
            await Assertions.Expect(compare.Locator($"#compare-runs tr[data-run-id='{blocker}'] td[data-backend]")).ToContainTextAsync("native on cpu");

            // Started, still training: the page opened while it was queued shows what the trainer reported, without a reload.
            await page.EvaluateAsync("window.plawSamePage = true");
            await using (var services = Registry())
                await services.GetRequiredService<RunCatalog>().CancelAsync(blocker);
            await page.WaitForFunctionAsync("""
                () => document.querySelector('.run-status')?.dataset.status === 'running'
                      && document.querySelector('#run-compute')?.dataset.recorded === 'true'
                """, null, new() { Timeout = 60_000 });
            await Assertions.Expect(compute).ToContainTextAsync("Trained by torch on cpu · libtorch 2.10");
            Assert.True(await page.EvaluateAsync<bool>("window.plawSamePage === true"), "The page reloaded instead of updating live.");
        }
        finally
        {
            await using var services = Registry();
            var catalog = services.GetRequiredService<RunCatalog>();
            foreach (var id in new[] { waiting, blocker }.OfType<int>()) await catalog.CancelAsync(id);
            var ids = string.Join(", ", new[] { waiting, blocker }.OfType<int>());
            await RegistryFile.WaitUntilAsync(() => Scalar<long>($"SELECT COUNT(*) FROM Runs WHERE Id IN ({ids}) AND Status IN ('Running', 'Queued')") == 0,
                TimeSpan.FromSeconds(60), $"runs {ids} to stop");
        }
    }

    [Fact]
    public async Task ANativeRunShowsItsGemmLineCompareShowsBothBackendsAndAnOlderRunSaysWhatItWas()
    {
        var native = await QueueAsync(Tiny);
        var torch = await QueueAsync(Tiny with { Backend = TrainingBackends.Torch, Device = DeviceNames.Auto, Seed = 7 });
        await WaitCompletedAsync(native, torch);
        Assert.Equal((TrainingBackends.Native, DeviceNames.Cpu), (Scalar<string>($"SELECT Backend FROM Runs WHERE Id = {native}"),
            Scalar<string>($"SELECT Device FROM Runs WHERE Id = {native}")));

        var run = await dashboard.OpenAsync($"/runs/{native}");
        var compute = run.Locator("#run-compute");
        await Assertions.Expect(compute).ToContainTextAsync("native on cpu · GEMM backend:");
        await Assertions.Expect(compute).ToHaveAttributeAsync("data-recorded", "true");

        var compare = await dashboard.OpenAsync($"/compare?runs={native},{torch}");
        var nativeCell = compare.Locator($"#compare-runs tr[data-run-id='{native}'] td[data-backend]");
        var torchCell = compare.Locator($"#compare-runs tr[data-run-id='{torch}'] td[data-backend]");
        await Assertions.Expect(nativeCell).ToHaveAttributeAsync("data-backend", TrainingBackends.Native);
        await Assertions.Expect(nativeCell).ToContainTextAsync("native on cpu");
        await Assertions.Expect(nativeCell).ToContainTextAsync("GEMM backend:");
        await Assertions.Expect(torchCell).ToHaveAttributeAsync("data-backend", TrainingBackends.Torch);
        await Assertions.Expect(torchCell).ToHaveAttributeAsync("data-device", DeviceNames.Cpu);
        await Assertions.Expect(torchCell).ToContainTextAsync("libtorch 2.10");
        await Assertions.Expect(compare.Locator("#compare-runs th", new() { HasText = "trained by" })).ToHaveCountAsync(1);
        await Accessibility.AssertCleanAsync(compare, "compare with a native and a torch run");

        // The same native run as a registry from before backends stored it: no backend columns, no backend in its options.
        await using (var services = Registry())
            await services.GetRequiredService<RunCatalog>().UpdateAsync(native, r =>
            {
                var options = JsonNode.Parse(r.OptionsJson)!.AsObject();
                options.Remove("backend");
                options.Remove("device");
                r.OptionsJson = options.ToJsonString();
                (r.Backend, r.Device, r.Compute) = (null, null, null);
            });
        var older = await dashboard.OpenAsync($"/runs/{native}");
        await Assertions.Expect(older.Locator("#run-compute")).ToContainTextAsync("native on cpu (trained before the registry recorded backends)");
        await Assertions.Expect(older.Locator("#run-compute")).ToHaveAttributeAsync("data-recorded", "false");
    }

    /// <summary>Every family and layout, queued from the form on backend torch, trains on libtorch (width 8 so that head
    /// sizes stay even for the rotary ones).</summary>
    [Fact]
    public async Task EveryModelVariantQueuedFromTheFormTrainsOnLibtorch()
    {
        var queued = new List<(int Id, string Model, string Variant)>();
        var familyLabels = new Dictionary<ModelFamily, string> { [ModelFamily.Sasrec] = "SASRec", [ModelFamily.Hstu] = "HSTU", [ModelFamily.Llama] = "LLaMA" };
        var variantLabels = new Dictionary<string, string>
        {
            [Variants.PostLn] = "post-LN (pmixer)", [Variants.PreLn] = "pre-LN", [Variants.Original] = "original (Kang)",
            [Variants.OriginalProj] = "original + out-proj", [Variants.Reference] = "reference (GR)", [Variants.PLaw] = "P-Law",
            [Variants.Standard] = "standard",
        };
        foreach (var family in Enum.GetValues<ModelFamily>())
            foreach (var variant in Variants.For(family))
            {
                var page = await dashboard.OpenAsync("/runs/new");
                await MudInputs.ChooseAsync(page, "run-model", familyLabels[family]);
                await MudInputs.ChooseAsync(page, "run-variant", variantLabels[variant]);
                await MudInputs.FillAsync(page, ("run-layers", "1"), ("run-dim", "8"), ("run-heads", "2"), ("run-max-len", "20"), ("run-epochs", "1"), ("run-eval-every", "1"), ("run-batch", "128"));
                await MudInputs.ChooseAsync(page, "run-backend", TrainingBackends.Torch);
                await Assertions.Expect(page.Locator(".run-field-problem")).ToHaveCountAsync(0);
                await page.Locator("#queue-run").ClickAsync();
                await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
                queued.Add((int.Parse(page.Url.Split('/')[^1], CultureInfo.InvariantCulture), family.ToString().ToLowerInvariant(), variant));
            }
        Assert.Equal(7, queued.Count);
        await WaitCompletedAsync([.. queued.Select(q => q.Id)]);
        foreach (var (id, model, variant) in queued)
        {
            var stored = JsonNode.Parse(Scalar<string>($"SELECT OptionsJson FROM Runs WHERE Id = {id}"))!;
            Assert.Equal((model, variant), (Scalar<string>($"SELECT Model FROM Runs WHERE Id = {id}"), (string?)stored["variant"]));
            Assert.Equal(TrainingBackends.Torch, Scalar<string>($"SELECT Backend FROM Runs WHERE Id = {id}"));
            Assert.StartsWith("libtorch 2.10", Scalar<string>($"SELECT Compute FROM Runs WHERE Id = {id}"));
            Assert.True(Scalar<long>($"SELECT COUNT(*) FROM MetricPoints WHERE RunId = {id} AND Name LIKE '%NDCG@10%'") > 0, $"run {id} ({model} {variant}) has no NDCG@10");
        }
    }
}
