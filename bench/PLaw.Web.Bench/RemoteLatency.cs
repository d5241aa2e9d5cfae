using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PLaw.Engine.Training;
using PLaw.Queue.Tests.Infrastructure;
using PLaw.Registry;
using PLaw.Registry.Datasets;
using PLaw.Registry.Runs;
using PLaw.Registry.Storage;
using PLaw.Web.Tests.Infrastructure;

/// <summary>
/// latency-remote (issue #15): a run trained by a separate <c>plaw worker</c> process on a PostgreSQL registry, its Run page
/// open in headless Chromium on a dashboard whose own worker is off. Each step-loss point's delay from the worker's trainer
/// (the point's reporter time) to its drawing on the chart: worker → PostgreSQL → NOTIFY → dashboard → Blazor circuit → chart.
/// Writes bench/results/feed-browser-latency-&lt;date&gt;.md.
/// </summary>
internal static class RemoteLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 && int.TryParse(args[0], out var s) ? s : 40;
        var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        var started = DateTime.UtcNow;
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        List<double> latencies;
        try
        {
            var database = await postgres.CreateDatabaseAsync();
            await using var dashboard = await DashboardServer.StartAsync(environment: new Dictionary<string, string>
            {
                ["PLaw__RunWorker"] = "false", ["PLaw__Registry__Provider"] = "Postgres", ["PLaw__Registry__ConnectionString"] = database,
            });
            await using var services = new ServiceCollection().AddLogging().AddPLawRegistry(new RegistryConnection(RegistryProvider.Postgres, database))
                .BuildServiceProvider();
            var demo = await services.GetRequiredService<DatasetCatalog>().FindByNameAsync("demo-markov") ?? throw new InvalidOperationException("no demo");
            var run = await services.GetRequiredService<RunCatalog>().QueueAsync(demo.Id,
                new RunOptions { Layers = 2, Dim = 32, MaxLength = 50, Dropout = 0.2, Epochs = 60, EvalEvery = 5 });
            var browser = new BrowserFixture();
            await browser.InitializeAsync();
            var page = await (await browser.Browser.NewContextAsync(new() { BaseURL = dashboard.BaseUrl })).NewPageAsync();
            await page.GotoAsync($"/runs/{run.Id}");
            await page.Locator("#plaw-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var checkpoints = Directory.CreateTempSubdirectory("plaw-remote-latency-").FullName;
            await using (var worker = new WorkerProcess(["worker", "--registry", database, "--data-dir", checkpoints]))
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds));
                latencies = (await page.EvaluateAsync<double[]>("window.plawLatencies || []")).ToList();
                if (latencies.Count == 0) throw new InvalidOperationException($"no point reached the chart; worker output:\n{worker.Output}");
            }
            await browser.DisposeAsync();
            Directory.Delete(checkpoints, recursive: true);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
        latencies.Sort();
        static double P(List<double> v, double q) => v[Math.Min(v.Count - 1, (int)Math.Ceiling(q * v.Count) - 1)];
        var line = $"| {latencies.Count:N0} | {P(latencies, 0.5):F0} | {P(latencies, 0.95):F0} | {latencies[^1]:F0} |";
        Console.WriteLine($"latency-remote: {latencies.Count:N0} step-loss points, worker process → chart: median {P(latencies, 0.5):F0} ms, " +
                          $"p95 {P(latencies, 0.95):F0} ms, max {latencies[^1]:F0} ms");
        var output = $"bench/results/feed-browser-latency-{started:yyyy-MM-dd}.md";
        File.WriteAllText(output, $"""
            # Live feed latency to the browser chart ({started:yyyy-MM-dd})

            - Commit: {Git("rev-parse HEAD")}{(Git("status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")}
            - Command: `dotnet bench/PLaw.Web.Bench/bin/Release/net10.0/PLaw.Web.Bench.dll latency-remote {string.Join(' ', args)}`
            - Date: {started:yyyy-MM-dd HH:mm} to {DateTime.UtcNow:HH:mm} UTC; machine: {Environment.ProcessorCount} cores
            - Load average (1/5/15 min) before: {loadBefore}; after: {File.ReadAllText("/proc/loadavg").Trim()}
            - Path: a `plaw worker` process trains a run (demo dataset, 2 layers, width 32) on a PostgreSQL registry (Debian's server,
              temp dir) → its metric sink writes points (250 ms flushes) → trigger NOTIFY `plaw_feed` → a dashboard with its own worker
              off LISTENs, reads the points and publishes them → the Run page's Blazor circuit → the ECharts chart in headless
              Chromium. Each point's latency = the time it is drawn − its reporter time in the worker (one machine, one clock).

            | points drawn | p50 ms | p95 ms | max ms |
            |---:|---:|---:|---:|
            {line}

            """);
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static string Git(string arguments)
    {
        var p = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return text;
    }
}
