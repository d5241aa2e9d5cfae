using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PLaw.Engine.Training;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Web.Tests.Infrastructure;

// dotnet run -c Release --project bench/PLaw.Feed.Bench -- --registry "Host=…;Database=…" [--runs 3] [--epochs 3] [--out file]
// A dashboard with no worker of its own on the PostgreSQL registry; a SignalR client watches the runs on its hub; a separate
// `plaw worker` process trains them. Each point carries the trainer's time (MetricPoint.TimeUnixMs): arrival minus that is the
// latency worker → PostgreSQL → NOTIFY → dashboard → SignalR client (the worker's flush interval included).
var options = Args.Parse(args);
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var connection = new RegistryConnection(RegistryProvider.Postgres, options.Registry);
await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddPLawRegistry(connection).BuildServiceProvider();
var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
await RegistryMigrator.MigrateAsync(factory);

await using var dashboard = await DashboardServer.StartAsync(environment: new Dictionary<string, string>
{
    ["PLaw__RunWorker"] = "false", ["PLaw__Registry__Provider"] = "Postgres", ["PLaw__Registry__ConnectionString"] = options.Registry,
});
var latencies = new ConcurrentBag<long>();
var received = new ConcurrentDictionary<int, int>();
var finished = new ConcurrentDictionary<int, RunStatus>();
await using var hub = new HubConnectionBuilder().WithUrl($"{dashboard.BaseUrl}/hubs/runs").Build();
hub.On<int, List<MetricPoint>>("MetricsAppended", (runId, points) =>
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    foreach (var p in points) latencies.Add(now - p.TimeUnixMs);
    received.AddOrUpdate(runId, points.Count, (_, n) => n + points.Count);
});
hub.On<RunSummary>("RunChanged", run => { if (run.Status.IsFinished()) finished[run.Id] = run.Status; });
await hub.StartAsync();

var demo = (await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov"))
           ?? throw new InvalidOperationException("The dashboard did not store its demo dataset.");
var catalog = services.GetRequiredService<RunCatalog>();
var runOptions = new RunOptions { Layers = 1, Dim = 16, MaxLength = 20, Epochs = options.Epochs, EvalEvery = 1, BatchSize = 32, Threads = 1 };
var runs = new List<int>();
for (var i = 0; i < options.Runs; i++)
{
    var run = await catalog.QueueAsync(demo.Id, runOptions with { Seed = i });
    await hub.InvokeAsync("Watch", run.Id);
    runs.Add(run.Id);
}

var checkpoints = Directory.CreateTempSubdirectory("plaw-feed-bench-").FullName;
var plaw = Path.Combine(typeof(Args).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliDirectory").Value!, "plaw");
var workerArgs = new[] { "worker", "--registry", options.Registry, "--data-dir", checkpoints, "--until-empty" };
var started = Stopwatch.StartNew();
using (var worker = Process.Start(new ProcessStartInfo(plaw, workerArgs) { RedirectStandardOutput = true, RedirectStandardError = true })!)
{
    var output = worker.StandardError.ReadToEndAsync();
    await worker.WaitForExitAsync();
    if (worker.ExitCode != 0) throw new InvalidOperationException($"plaw worker exited {worker.ExitCode}:\n{await output}");
}
var trained = started.Elapsed;
var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
while (runs.Any(r => !finished.ContainsKey(r)) && DateTime.UtcNow < deadline) await Task.Delay(50);
await Task.Delay(500);
Directory.Delete(checkpoints, recursive: true);
var loadAfter = File.ReadAllText("/proc/loadavg").Trim();

await using var db = await factory.CreateDbContextAsync();
var stored = await db.MetricPoints.CountAsync(p => runs.Contains(p.RunId));
var sorted = latencies.Order().ToArray();
long Quantile(double q) => sorted.Length == 0 ? -1 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
var (p50, p95, max) = (Quantile(0.5), Quantile(0.95), sorted.Length == 0 ? -1 : sorted[^1]);
var commit = Git("rev-parse", "HEAD");
var dirty = Git("status", "--porcelain", "--untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "";
var text = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Live feed latency: worker → PostgreSQL → NOTIFY → SignalR ({DateTime.UtcNow:yyyy-MM-dd})")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"- commit: `{commit}`{dirty}")
    .AppendLine(CultureInfo.InvariantCulture, $"- command: `{options.CommandLine}`")
    .AppendLine(CultureInfo.InvariantCulture, $"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}")
    .AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} cores; load average (/proc/loadavg) before `{loadBefore}`, after `{loadAfter}`")
    .AppendLine(CultureInfo.InvariantCulture, $"- setup: PostgreSQL {Scalar("SHOW server_version")} on loopback; one dashboard (PLaw:RunWorker=false); one `plaw worker` process; one SignalR client on `/hubs/runs` watching {runs.Count} runs ({runOptions.Epochs} epochs, batch {runOptions.BatchSize}, demo dataset) trained one after the other in {trained.TotalSeconds:F1} s")
    .AppendLine(CultureInfo.InvariantCulture, $"- load: a 1-minute load average far above the core count means other processes (builds, tests) shared the cores; the figures are then an upper bound")
    .AppendLine(CultureInfo.InvariantCulture, $"- what is measured: per metric point, the SignalR client's arrival time minus the trainer's report time (`MetricPoint.TimeUnixMs`); it includes the worker's flush interval (PLaw:MetricFlushMilliseconds, 250 ms: a point waits up to that long in the worker before it is written)")
    .AppendLine()
    .AppendLine("| points stored | points received | p50 (ms) | p95 (ms) | max (ms) |")
    .AppendLine("|---:|---:|---:|---:|---:|")
    .AppendLine(CultureInfo.InvariantCulture, $"| {stored} | {received.Values.Sum()} | {p50} | {p95} | {max} |")
    .AppendLine()
    .AppendLine(p95 is >= 0 and < 1000 ? "p95 < 1 s: met." : "p95 < 1 s: NOT met.")
    .ToString();
Console.Write(text);
if (options.Out is { } file) await File.WriteAllTextAsync(file, text);
return received.Values.Sum() == stored && p95 is >= 0 and < 1000 ? 0 : 1;

string Scalar(string sql)
{
    using var c = new Npgsql.NpgsqlConnection(options.Registry);
    c.Open();
    using var command = new Npgsql.NpgsqlCommand(sql, c);
    return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
}

static string Git(params string[] arguments)
{
    var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var git = Process.Start(start)!;
    var output = git.StandardOutput.ReadToEnd().Trim();
    git.WaitForExit();
    return output;
}

internal sealed record Args(string Registry, int Runs, int Epochs, string? Out, string CommandLine)
{
    public static Args Parse(string[] args)
    {
        string? registry = null, output = null;
        int runs = 3, epochs = 3;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]}: give a value.");
            switch (args[i])
            {
                case "--registry": registry = Value(); break;
                case "--runs": runs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--epochs": epochs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--out": output = Value(); break;
                default: throw new ArgumentException($"{args[i]}: unknown option; use --registry <PostgreSQL connection string> [--runs 3] [--epochs 3] [--out file].");
            }
        }
        if (registry is null) throw new ArgumentException("--registry: give the PostgreSQL connection string (bench/PLaw.Feed.Bench/feed-latency.sh starts a server).");
        if (runs < 1 || epochs < 1) throw new ArgumentException("--runs and --epochs: at least 1.");
        return new Args(registry, runs, epochs, output, Environment.GetEnvironmentVariable("PLAW_BENCH_COMMAND") ?? "dotnet PLaw.Feed.Bench.dll " + string.Join(' ', args));
    }
}
