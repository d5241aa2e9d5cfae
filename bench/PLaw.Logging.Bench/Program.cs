// Metric logging overhead (issue #14: ≤ 3 % of wall time on the demo's short steps, ≤ 1 % on Games).
//   dotnet bench/PLaw.Logging.Bench/bin/Release/net10.0/PLaw.Logging.Bench.dll <demo|path/to/games.txt> <pairs> <label> [none|sink]
// One process: a warm-up run of each arm, then <pairs> pairs of the same training run, each on a fresh run of a real SQLite
// registry (queued, claimed and held as the queue worker does), once with no progress sink and once with the real MetricSink,
// the order alternating pair by pair. Prints one tab-separated row per run (see Row below); run.sh interleaves processes of this
// checkout's build and a previous commit's build and summarises them. A fourth argument runs only that mode, <pairs> times:
// one process per mode, for a profiler (perf) to compare. Compiles against both: the sink's newer measurements
// (its writer thread's CPU time, flush count, interval) are read by name and are blank for a build that has none.
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Data.Synthetic;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Worker.Queue;

if (args.Length < 3 || !int.TryParse(args[1], out var pairs) || pairs < 1 || (args.Length > 3 && args[3] is not ("none" or "sink")))
{
    Console.Error.WriteLine("usage: PLaw.Logging.Bench <demo|path/to/games.txt> <pairs ≥ 1> <label> [none|sink]");
    return 2;
}
bool[]? only = args.Length > 3 ? [args[3] == "sink"] : null;
var data = args[0];
var label = args[2];
var demo = data == "demo";
if (!demo && !File.Exists(data))
{
    Console.Error.WriteLine($"{data}: no such interaction file (give 'demo' or a SASRec-format file such as /work/shared/data/amazon-games/games.txt).");
    return 2;
}

// The demo: the dashboard's demo dataset with the short steps of its live-training page (batch 32, width 32; 63 steps an
// epoch, an evaluation every 3 epochs), 6 epochs = 378 steps. Games: the SASRec recipe (width 50, length 50, batch 128;
// 240 steps an epoch), 1 epoch; its evaluation capped at 1,000 users so the run is training steps, not ranking.
SequenceSet sequences = demo
    ? MarkovSequenceGenerator.Generate(PLaw.Registry.Demo.DemoDataset.Options).Sequences
    : DatasetImporter.Import(data, new ImportOptions(InteractionFormat.Sasrec)).Sequences;
var options = demo
    ? new RunOptions { Layers = 2, Dim = 32, MaxLength = 50, Dropout = 0.2, Epochs = 6, EvalEvery = 3, Threads = 2, BatchSize = 32 }
    : new RunOptions { Epochs = 1, EvalEvery = 1, Threads = 2, BatchSize = 128, EvalUsers = 1_000 };
var interval = TimeSpan.FromMilliseconds(new PLawOptions().MetricFlushMilliseconds);   // the worker's default

var directory = Directory.CreateTempSubdirectory("plaw-logging-bench-").FullName;
try
{
    await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddPLawRegistry(Path.Combine(directory, "registry.db")).BuildServiceProvider();
    await RegistryMigrator.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
    var dataset = await services.GetRequiredService<DatasetCatalog>().StoreAsync("bench", "bench", "bench", "{}", "{}", sequences);
    var catalog = services.GetRequiredService<RunCatalog>();
    var holder = RunHolder.ForThisProcess(RunHolder.DefaultLease);
    var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("bench");
    var process = Process.GetCurrentProcess();
    double CpuMs() { process.Refresh(); return process.TotalProcessorTime.TotalMilliseconds; }

    // Every run, with a sink or without, is queued, claimed and held as the queue worker does it, so the two arms differ by
    // the sink alone. Before this, only the sink's arm claimed: the JIT's background tier-up of that EF Core path then ran
    // during the next timed run and was counted as logging (perf.sh: the tiered-compilation thread took 10.6 % of the samples
    // in the sink's arm, 3.7 % in the other; bench/results/logging-perf-2026-11-30.md).
    async Task<(HeldRun Held, MetricSink? Sink)> ClaimAsync(RunOptions runOptions, bool logged)
    {
        var run = await catalog.QueueAsync(dataset.Id, runOptions);
        var claimed = await catalog.ClaimNextAsync(holder) ?? throw new InvalidOperationException("nothing to claim");
        if (claimed.Id != run.Id) throw new InvalidOperationException($"claimed run {claimed.Id}, not {run.Id}");
        var held = new HeldRun(run.Id, holder, catalog, new CancellationTokenSource(), logger);
        var sink = logged
            ? new MetricSink(held, runOptions, services.GetRequiredService<MetricStore>(), catalog, services.GetRequiredService<RunFeed>(), interval)
            : null;
        return (held, sink);
    }

    // Warm-up, one run of each arm (JIT, caches): a worker process is warm after its first run.
    foreach (var logged in new[] { false, true })
    {
        var (held, sink) = await ClaimAsync(options with { Epochs = 1 }, logged);
        await Trainer.RunAsync(options with { Epochs = 1 }, sequences, new TrainerContext(), sink, CancellationToken.None);
        if (sink is not null) await sink.DisposeAsync();
        await held.DisposeAsync();
    }

    Console.WriteLine("label\tdata\tpair\tmode\twall_s\tsteps\tcpu_ms\tpoints\tflushes\theld_ms\twriter_cpu_ms\tinterval_ms\tload1");
    for (var pair = 1; pair <= pairs; pair++)
        foreach (var logged in only ?? (pair % 2 == 1 ? [false, true] : [true, false]))
        {
            var (held, sink) = await ClaimAsync(options, logged);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var cpu = CpuMs();
            var clock = Stopwatch.StartNew();
            var result = await Trainer.RunAsync(options, sequences, new TrainerContext(), sink, CancellationToken.None);
            if (sink is not null) await sink.DisposeAsync();   // the run is over when its history is stored
            var wall = clock.Elapsed.TotalSeconds;
            var cpuMs = CpuMs() - cpu;
            await held.DisposeAsync();
            string Measured(string name, Func<object, string> format) =>
                sink?.GetType().GetProperty(name)?.GetValue(sink) is { } value ? format(value) : "";
            Console.WriteLine(string.Join('\t', label, demo ? "demo" : Path.GetFileNameWithoutExtension(data), pair, logged ? "sink" : "none",
                wall.ToString("F4"), result.History[^1].Step, cpuMs.ToString("F0"),
                sink?.PointsWritten.ToString() ?? "", Measured("Flushes", v => v.ToString()!),
                sink is null ? "" : sink.Held.TotalMilliseconds.ToString("F1"),
                Measured("WriterCpu", v => ((TimeSpan)v).TotalMilliseconds.ToString("F1")),
                Measured("Interval", v => ((TimeSpan)v).TotalMilliseconds.ToString("F0")),
                File.ReadAllText("/proc/loadavg").Split(' ')[0]));
        }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}
return 0;
