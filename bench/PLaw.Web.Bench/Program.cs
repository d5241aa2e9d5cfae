// Live-training and registry benchmarks for the dashboard (issue: experiment registry and live training).
//   dotnet run -c Release --project bench/PLaw.Web.Bench [-- latency|latency-remote [seconds]|overhead [batch]|load [options]|all]
// latency:  a real run on the demo dataset, its page open in headless Chromium; how late each step-loss point reaches
//           the browser (logged by the trainer → drawn on the chart), median and p95.
// latency-remote: the same, for a run trained by a separate `plaw worker` on PostgreSQL (RemoteLatency.cs).
// overhead: training throughput on the demo dataset with no progress sink vs the registry's metric sink.
// load:     the runs page with 10,000 runs and 1,000,000 metric points: first rows and circuit start-up, for one or more
//           dashboard builds in one run (e.g. the previous release against this checkout); see RunsPageLoad.cs and
//           bench/README.md. Writes bench/results/runs-page-load-<date>[-name].md.
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Worker.Queue;
using PLaw.Registry.Runs;
using PLaw.Web.Tests.Infrastructure;

var what = args.FirstOrDefault() ?? "all";
if (what == "load")
    return await RunsPageLoad.RunAsync(args[1..], WebAppDirectory());
if (what == "latency-remote")
    return await RemoteLatency.RunAsync(args[1..]);
var batch = int.TryParse(args.ElementAtOrDefault(1), out var b) ? b : 32;
var overheadData = args.ElementAtOrDefault(2);   // a SASRec-format file (e.g. ../shared/data/amazon-games/games.txt); default the demo
if (what is "overhead" or "all") await Overhead(batch, overheadData);
if (what is "latency" or "all") await Latency();
if (what is "all") return await RunsPageLoad.RunAsync([], WebAppDirectory());
return 0;

static string WebAppDirectory() => typeof(BrowserFixture).Assembly
    .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
    .Single(a => a.Key == "WebAppDirectory").Value!;

static ServiceProvider Registry(string path) => new ServiceCollection()
    .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(path).BuildServiceProvider();

static double Percentile(List<double> values, double p)
{
    values.Sort();
    return values.Count == 0 ? double.NaN : values[(int)Math.Clamp(Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
}

static async Task Overhead(int batch, string? file)
{
    var directory = Directory.CreateTempSubdirectory("plaw-bench-overhead-").FullName;
    await using var services = Registry(Path.Combine(directory, "registry.db"));
    await RegistryMigrator.MigrateAsync(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RegistryDbContext>>());
    var demo = file is null
        ? MarkovSequenceGenerator.Generate(new MarkovOptions())
        : new MarkovDataset(PLaw.Data.Import.DatasetImporter.Import(file, new PLaw.Data.Import.ImportOptions(PLaw.Data.Import.InteractionFormat.Sasrec)).Sequences, 0);
    var dataset = await services.GetRequiredService<DatasetCatalog>().StoreAsync("data", "bench", "bench", "{}", "{}", demo.Sequences);
    // Demo, batch 32: 63 short steps an epoch, so the per-step stream and the per-epoch hold both show. A real file: the SASRec
    // recipe (width 50, length 50, dropout 0.5), 2 epochs.
    var options = file is null
        ? new RunOptions { Layers = 2, Dim = 32, MaxLength = 50, Dropout = 0.2, Epochs = 6, EvalEvery = 3, Threads = 2, BatchSize = batch }
        : new RunOptions { Epochs = 2, EvalEvery = 2, Threads = 2, BatchSize = batch };
    var catalog = services.GetRequiredService<RunCatalog>();
    var holder = RunHolder.ForThisProcess(RunHolder.DefaultLease);

    // A sink writes only while its worker holds the run: claim it, as the queue worker does.
    async Task<HeldRun> HoldAsync(int runId)
    {
        var claimed = await catalog.ClaimNextAsync(holder) ?? throw new InvalidOperationException("nothing to claim");
        if (claimed.Id != runId) throw new InvalidOperationException($"claimed run {claimed.Id}, not {runId}");
        return new HeldRun(runId, holder, catalog, new CancellationTokenSource(), services.GetRequiredService<ILoggerFactory>().CreateLogger("bench"));
    }
    await Trainer.RunAsync(options with { Epochs = 1 }, demo.Sequences, new TrainerContext(), null, CancellationToken.None);   // warm-up
    var plain = new List<double>();
    var logged = new List<double>();
    var plainCpu = new List<double>();
    var loggedCpu = new List<double>();
    var process = Process.GetCurrentProcess();
    double Cpu() { process.Refresh(); return process.TotalProcessorTime.TotalMilliseconds; }
    for (var repeat = 0; repeat < (file is null ? 5 : 3); repeat++)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Cpu();
        var result = await Trainer.RunAsync(options, demo.Sequences, new TrainerContext(), null, CancellationToken.None);
        plain.Add(result.History[^1].Step / clock.Elapsed.TotalSeconds);
        plainCpu.Add((Cpu() - cpu) / result.History[^1].Step);

        clock.Restart();
        cpu = Cpu();
        result = await Trainer.RunAsync(options, demo.Sequences, new TrainerContext(), new Progress<TrainingEvent>(_ => { }), CancellationToken.None);
        Console.WriteLine($"overhead repeat {repeat + 1}: a do-nothing IProgress: {result.History[^1].Step / clock.Elapsed.TotalSeconds:F1} steps/s " +
                          $"({(Cpu() - cpu) / result.History[^1].Step:F1} CPU ms/step)");

        var run = await catalog.QueueAsync(dataset.Id, options);
        await using var held = await HoldAsync(run.Id);
        var sink = new MetricSink(held, options, services.GetRequiredService<MetricStore>(), catalog, services.GetRequiredService<RunFeed>(),
            TimeSpan.FromMilliseconds(250));
        clock.Restart();
        cpu = Cpu();
        result = await Trainer.RunAsync(options, demo.Sequences, new TrainerContext(), sink, CancellationToken.None);
        await sink.DisposeAsync();
        logged.Add(result.History[^1].Step / clock.Elapsed.TotalSeconds);
        loggedCpu.Add((Cpu() - cpu) / result.History[^1].Step);
        Console.WriteLine($"overhead repeat {repeat + 1}: {plain[^1]:F1} steps/s ({plainCpu[^1]:F1} CPU ms/step) without logging, " +
                          $"{logged[^1]:F1} steps/s ({loggedCpu[^1]:F1} CPU ms/step) with ({sink.PointsWritten:N0} points; trainer held {sink.Held.TotalMilliseconds:F0} ms " +
                          $"over {clock.Elapsed.TotalMilliseconds:F0} ms)");
    }
    // The sink alone, without training beside it: its CPU cost per step is the overhead a step pays wherever it runs.
    {
        var run = await catalog.QueueAsync(dataset.Id, options);
        await using var held = await HoldAsync(run.Id);
        var sink = new MetricSink(held, options with { Epochs = 1000, EvalEvery = 1000 }, services.GetRequiredService<MetricStore>(), catalog,
            services.GetRequiredService<RunFeed>(), TimeSpan.FromMilliseconds(250));
        const int steps = 20_000, perEpoch = 63;
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        for (var step = 1; step <= steps; step++)
        {
            sink.Report(new StepCompleted(1 + step / perEpoch, step, 1.0 / step, 1e-3, clock.Elapsed));
            if (step % perEpoch == 0) sink.Report(new EpochCompleted(step / perEpoch, step, 0.5, 1));
            if (step % 100 == 0) Thread.Sleep(1);   // a trainer's pace, so flushes batch as they do in a run
        }
        await sink.DisposeAsync();
        var sleeping = steps / 100.0;
        Console.WriteLine($"overhead, sink alone: {steps:N0} steps with an epoch end every {perEpoch}: {(Cpu() - cpu) / steps * 1000:F1} µs CPU per step " +
                          $"({sink.PointsWritten:N0} points; {clock.Elapsed.TotalMilliseconds - sleeping:F0} ms wall beyond the {sleeping:F0} ms of pacing)");
    }
    var (p, l) = (Percentile(plain, 0.5), Percentile(logged, 0.5));
    var (pc, lc) = (Percentile(plainCpu, 0.5), Percentile(loggedCpu, 0.5));
    Console.WriteLine($"overhead: median {p:F1} steps/s without logging, {l:F1} with the registry sink ({100 * (p - l) / p:F1}% slower in wall time); " +
                      $"CPU per step {pc:F2} ms vs {lc:F2} ms ({100 * (lc - pc) / pc:F1}% more); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
}

static async Task Latency()
{
    await using var server = await DashboardServer.StartAsync();
    await using var services = Registry(server.RegistryPath);
    var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov") ?? throw new InvalidOperationException("no demo");
    var run = await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id,
        new RunOptions { Layers = 2, Dim = 32, MaxLength = 50, Dropout = 0.2, Epochs = 60, EvalEvery = 5 });
    var browser = new BrowserFixture();
    await browser.InitializeAsync();
    var page = await (await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseUrl })).NewPageAsync();
    await page.GotoAsync($"/runs/{run.Id}");
    await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    await Task.Delay(TimeSpan.FromSeconds(30));
    var latencies = (await page.EvaluateAsync<double[]>("window.plawLatencies || []")).ToList();
    await browser.DisposeAsync();
    Console.WriteLine($"latency: {latencies.Count:N0} step-loss points from trainer to chart: median {Percentile(latencies, 0.5):F0} ms, " +
                      $"p95 {Percentile(latencies, 0.95):F0} ms, max {latencies.DefaultIfEmpty().Max():F0} ms (flush interval 250 ms)");
}
