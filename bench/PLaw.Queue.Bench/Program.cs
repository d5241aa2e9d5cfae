using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;

// plaw-queue-bench: how fast workers take runs off the queue (issue #15).
//   [--runs 2000] [--workers 1,2,4] [--providers postgres,sqlite] [--out bench/results/queue-claims-DATE.md]
// For each provider and worker count: a fresh registry with --runs queued runs, then that many worker PROCESSES (this program
// with `claim`) that loop "claim the next run (RunCatalog.ClaimNextAsync: FOR UPDATE SKIP LOCKED on PostgreSQL, UPDATE …
// RETURNING on SQLite), mark it completed while holding it (RunCatalog.UpdateHeldAsync, the worker's conditional update)"
// until the queue is empty. They start together on a go signal. Reported: claims per second over the wall time from go to
// the last exit, and the latency of each claim and each completion. Checked: every run completed, each claimed exactly once.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["claim", var claimProvider, var claimConnection]) return await Claimer.RunAsync(claimProvider, claimConnection);

var opts = new Dictionary<string, string>();
for (var i = 0; i < args.Length; i++)
    if (args[i].StartsWith("--", StringComparison.Ordinal)) opts[args[i][2..]] = i + 1 < args.Length ? args[++i] : "";
var runs = int.Parse(opts.GetValueOrDefault("runs", "2000"), CultureInfo.InvariantCulture);
var workerCounts = opts.GetValueOrDefault("workers", "1,2,4").Split(',').Select(int.Parse).ToArray();
var providers = opts.GetValueOrDefault("providers", "postgres,sqlite").Split(',');
var output = opts.GetValueOrDefault("out", $"bench/results/queue-claims-{DateTime.UtcNow:yyyy-MM-dd}.md");

var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
var started = DateTime.UtcNow;
var rows = new List<string>();
var server = new PostgresServer();
if (providers.Contains("postgres")) await server.InitializeAsync();
try
{
    foreach (var provider in providers)
        foreach (var workers in workerCounts)
        {
            var (connection, cleanup) = provider == "postgres"
                ? (await server.CreateDatabaseAsync(), (Func<string, Task>)server.DropDatabaseAsync)
                : (Path.Combine(Directory.CreateTempSubdirectory("plaw-queue-bench-").FullName, "registry.db"),
                   path => { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); Directory.Delete(Path.GetDirectoryName(path)!, true); return Task.CompletedTask; });
            try
            {
                var result = await Measure(provider, connection, workers, runs);
                Console.WriteLine(result.Row);
                rows.Add(result.Row);
            }
            finally { await cleanup(connection); }
        }
}
finally { if (providers.Contains("postgres")) await server.DisposeAsync(); }

var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
var report = new StringBuilder()
    .AppendLine($"# Queue claims per second ({started:yyyy-MM-dd})").AppendLine()
    .AppendLine($"- Commit: {Git("rev-parse HEAD")}{(Git("status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")}")
    .AppendLine($"- Command: `dotnet bench/PLaw.Queue.Bench/bin/Release/net10.0/PLaw.Queue.Bench.dll {string.Join(' ', args)}`")
    .AppendLine($"- Date: {started:yyyy-MM-dd HH:mm} to {DateTime.UtcNow:HH:mm} UTC; machine: {Environment.ProcessorCount} cores")
    .AppendLine($"- Load average (1/5/15 min) before: {loadBefore}; after: {loadAfter}")
    .AppendLine($"- {runs} queued runs per row; each worker is a separate process claiming (RunCatalog.ClaimNextAsync) and completing")
    .AppendLine("  (RunCatalog.UpdateHeldAsync) runs until the queue is empty; PostgreSQL is Debian's server in a temp dir, fsync off.")
    .AppendLine()
    .AppendLine("| provider | workers | runs | wall s | claims/s | claim p50 ms | claim p95 ms | claim max ms | complete p95 ms | runs per worker |")
    .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
foreach (var row in rows) report.AppendLine(row);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, report.ToString());
Console.WriteLine($"wrote {output}");
return 0;

static async Task<(string Row, double PerSecond)> Measure(string provider, string connection, int workers, int runs)
{
    var registry = provider == "postgres" ? RegistryConnection.Parse(connection) : RegistryConnection.SqliteFile(connection);
    await using (var services = new ServiceCollection().AddLogging().AddPLawRegistry(registry).BuildServiceProvider())
    {
        await RegistryMigrator.MigrateAsync(services.GetRequiredService<IDbContextFactory<RegistryDbContext>>());
        var demo = PLaw.Data.Synthetic.MarkovSequenceGenerator.Generate(new(Users: 30, Items: 25, MinLength: 3, MaxLength: 12, Seed: 3));
        var dataset = (await services.GetRequiredService<DatasetCatalog>().StoreAsync("bench", "synthetic", "synthetic", "{}", "{}", demo.Sequences)).Id;
        var catalog = services.GetRequiredService<RunCatalog>();
        var options = new PLaw.Engine.Training.RunOptions { Layers = 1, Dim = 8, MaxLength = 10, Epochs = 1 };
        for (var i = 0; i < runs; i++) await catalog.QueueAsync(dataset, options with { Seed = i });
    }

    var processes = Enumerable.Range(0, workers).Select(_ => Process.Start(new ProcessStartInfo("dotnet",
        [typeof(Claimer).Assembly.Location, "claim", provider, connection])
    { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!).ToList();
    foreach (var p in processes)
        if (await p.StandardOutput.ReadLineAsync() != "ready") throw new InvalidOperationException($"a claimer failed to start: {await p.StandardError.ReadToEndAsync()}");
    var clock = Stopwatch.StartNew();
    foreach (var p in processes) { await p.StandardInput.WriteLineAsync("go"); await p.StandardInput.FlushAsync(); }
    var reports = new List<Claimer.Report>();
    foreach (var p in processes)
    {
        var line = await p.StandardOutput.ReadLineAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0 || line is null) throw new InvalidOperationException($"a claimer exited {p.ExitCode}: {error}");
        reports.Add(JsonSerializer.Deserialize<Claimer.Report>(line)!);
    }
    var wall = clock.Elapsed.TotalSeconds;

    await using (var services = new ServiceCollection().AddLogging().AddPLawRegistry(registry).BuildServiceProvider())
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        var all = await db.Runs.AsNoTracking().Select(r => new { r.Status, r.Attempts }).ToListAsync();
        var claimed = reports.Sum(r => r.Claims.Length);
        if (claimed != runs || all.Count != runs || all.Any(r => r.Status != RunStatus.Completed || r.Attempts != 1))
            throw new InvalidOperationException($"not exactly once: {claimed} claims for {runs} runs; " +
                $"{all.Count(r => r.Status == RunStatus.Completed)} completed; attempts {string.Join(",", all.Select(r => r.Attempts).Distinct())}");
    }
    var claims = reports.SelectMany(r => r.Claims).Order().ToArray();
    var completes = reports.SelectMany(r => r.Completes).Order().ToArray();
    static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    var perSecond = runs / wall;
    var row = $"| {provider} | {workers} | {runs} | {wall:F2} | {perSecond:F0} | {P(claims, 0.5):F2} | {P(claims, 0.95):F2} | {claims[^1]:F1} | " +
              $"{P(completes, 0.95):F2} | {string.Join(" / ", reports.Select(r => r.Claims.Length))} |";
    return (row, perSecond);
}

static string Git(string arguments)
{
    var p = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
    var text = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return text;
}

/// <summary>One worker process: claims and completes runs until none is queued, then prints its latencies as one JSON line.</summary>
internal static class Claimer
{
    public sealed record Report(double[] Claims, double[] Completes);

    public static async Task<int> RunAsync(string provider, string connection)
    {
        var registry = provider == "postgres" ? RegistryConnection.Parse(connection) : RegistryConnection.SqliteFile(connection);
        await using var services = new ServiceCollection().AddLogging().AddPLawRegistry(registry).BuildServiceProvider();
        var catalog = services.GetRequiredService<RunCatalog>();
        var holder = RunHolder.ForThisProcess(RunHolder.DefaultLease);
        await catalog.FindAsync(1); // opens the pool and compiles the queries' models before the clock starts
        Console.WriteLine("ready");
        if (Console.ReadLine() != "go") return 2;
        var claims = new List<double>();
        var completes = new List<double>();
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            var run = await catalog.ClaimNextAsync(holder);
            if (run is null) break;
            claims.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            if (!await catalog.UpdateHeldAsync(run.Id, holder, r => { r.Status = RunStatus.Completed; r.FinishedUtc = DateTime.UtcNow; }))
                throw new InvalidOperationException($"run {run.Id} was claimed but not held");
            completes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine(JsonSerializer.Serialize(new Report([.. claims], [.. completes])));
        return 0;
    }
}
