using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

/// <summary>
/// The runs-page load benchmark (issue #9, "Done when"): first rows of the Runs page with 10,000 runs and 1,000,000 metric
/// points, for several dashboard builds in one run on one machine, and how much of it is circuit start-up.
///
///   load [--web label=folder]... [--loads N] [--warmup N] [--name text] [--note text] [--out file] [--registry seed.db]
///        [--row-selector css]... [--path /runs] [--keep] [--verbose]
///
/// One registry is seeded (or --registry reused) with the current registry code; each build first starts on an empty data
/// folder of its own, so its own migrations create its schema, and then gets every seeded row through the columns both
/// schemas have (<see cref="RegistryCopy"/>). All builds then run side by side (no run worker, Development, their own data
/// folder) and the loads interleave, alternating which build goes first each round (A B, B A, …), so machine noise falls on
/// every build alike. Each load is a fresh browser context (no cache, no circuit) timed on the browser's own clock
/// (<see cref="PageProbe"/>). The results go to bench/results/runs-page-load-&lt;date&gt;[-name].md.
/// </summary>
internal static class RunsPageLoad
{
    private sealed record Load(string Build, int Round, bool Warmup, string LoadAverage, IReadOnlyDictionary<string, double> Marks,
        double Wall, string? Failure, int FirstLine)
    {
        public double Get(string mark) => Marks.TryGetValue(mark, out var v) ? v : double.NaN;
        public double Rows => Get("rows");
        public double Circuit => Get("circuit");
        public double AfterCircuit => Rows - Circuit;
        public double Server { get; set; } = double.NaN;
        public int ServerQueries { get; set; }
    }

    public static async Task<int> RunAsync(string[] args, string defaultWebDirectory)
    {
        var webs = new List<string>();
        var selectors = new List<string>();
        int loads = 15, warmup = 2;
        string? name = null, note = null, output = null, seedFile = null;
        bool keep = false, verbose = false;
        var path = "/runs";
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--web": webs.Add(Next()); break;
                case "--loads": loads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--name": name = Next(); break;
                case "--note": note = Next(); break;
                case "--out": output = Path.GetFullPath(Next()); break;
                case "--registry": seedFile = Path.GetFullPath(Next()); break;
                case "--row-selector": selectors.Add(Next()); break;
                case "--path": path = Next(); break;
                case "--keep": keep = true; break;
                case "--verbose": verbose = true; break;
                default: throw new ArgumentException($"Unknown load option '{args[i]}'. See bench/README.md.");
            }
        }
        if (webs.Count == 0) webs.Add($"current={defaultWebDirectory}");
        var builds = webs.Select(WebBuild.Parse).ToList();
        if (builds.Select(b => b.Label).Distinct().Count() != builds.Count) throw new ArgumentException("Each --web needs its own label.");
        foreach (var build in builds)
        {
            Console.WriteLine($"load: {build.Label} = {build.Directory} (commit {Short(build.Commit)} {build.CommitSubject}; {build.Framework}; built {build.BinaryTime})");
            foreach (var warning in build.Warnings) Console.WriteLine($"load: WARNING {build.Label}: {warning}");
        }

        var started = DateTime.UtcNow;
        var loadBefore = LoadAverage();
        var work = Directory.CreateTempSubdirectory("plaw-bench-runs-page-").FullName;
        Console.WriteLine($"load: working folder {work}; load average {loadBefore}");

        string seedDescription;
        var seedClock = Stopwatch.StartNew();
        if (seedFile is null)
        {
            seedFile = Path.Combine(work, "seed", "registry.db");
            seedDescription = await LoadSeed.CreateAsync(seedFile);
            if (RepositoryRoot() is { } root) seedDescription += $"; seeded by the registry code of this checkout ({Clip(Git(root, "log", "-1", "--format=%h %s"))})";
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            seedDescription += $"; seeded in {seedClock.Elapsed.TotalSeconds:F0} s";
        }
        else
        {
            seedDescription = $"reused {seedFile}";
        }
        seedDescription += $"; registry file {new FileInfo(seedFile).Length / 1e6:F0} MB";
        Console.WriteLine($"load: registry: {seedDescription}");

        // Each build makes its own schema (its migrations run at start), then receives the rows.
        var copies = new Dictionary<string, RegistryCopy.Result>();
        foreach (var build in builds)
        {
            var data = Path.Combine(work, build.Label);
            Directory.CreateDirectory(data);
            await using (await build.StartAsync(data))
            {
            }
            var copy = RegistryCopy.Into(Path.Combine(data, "registry.db"), seedFile);
            copies[build.Label] = copy;
            Console.WriteLine($"load: {build.Label}: migrations {string.Join(", ", copy.Migrations)}; {copy.Rows:N0} rows copied" +
                              string.Concat(copy.Notes.Select(n => $"\n      {n}")));
        }

        var servers = new List<RunningBuild>();
        var results = new List<Load>();
        var browser = new BrowserFixture();
        try
        {
            foreach (var build in builds)
            {
                servers.Add(await build.StartAsync(Path.Combine(work, build.Label)));
                Console.WriteLine($"load: {build.Label} listening at {servers[^1].BaseUrl} after {servers[^1].StartTime.TotalSeconds:F1} s");
            }
            await browser.InitializeAsync();
            var script = PageProbe.Script(selectors);
            for (var round = 1 - warmup; round <= loads; round++)
            {
                var order = (round & 1) == 1 ? servers : Enumerable.Reverse(servers).ToList();
                foreach (var server in order)
                {
                    var load = await MeasureAsync(browser.Browser, server, script, path, round, verbose);
                    results.Add(load);
                    Console.WriteLine($"load: {(load.Warmup ? "warm-up" : $"round {round,2}")} {server.Build.Label,-10} " +
                                      (load.Failure is null
                                          ? $"first rows {load.Rows,6:F0} ms, circuit {load.Circuit,6:F0} ms, wall {load.Wall,6:F0} ms"
                                          : $"FAILED: {load.Failure}") + $" (load {load.LoadAverage})" + (!verbose ? "" : " " + string.Join(", ", load.Marks.OrderBy(m => m.Value).Select(m => $"{m.Key} {m.Value:F0}"))));
                }
            }
            foreach (var server in servers)
            {
                var mine = results.Where(r => r.Build == server.Build.Label).ToList();
                for (var i = 0; i < mine.Count; i++)
                    ServerSide(mine[i], server.Lines(mine[i].FirstLine, i + 1 < mine.Count ? mine[i + 1].FirstLine : server.LineCount));
            }
        }
        finally
        {
            await browser.DisposeAsync();
            foreach (var server in servers)
            {
                await server.DisposeAsync();
                await File.WriteAllLinesAsync(Path.Combine(work, $"{server.Build.Label}.log"), server.Lines(0, server.LineCount));
            }
        }
        var loadAfter = LoadAverage();

        var report = Report(args, builds, servers, copies, results, seedDescription, started, loadBefore, loadAfter, loads, warmup, path,
            selectors, name, note);
        output ??= DefaultOutput(started, name);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        Console.WriteLine(Summary(builds, results));
        Console.WriteLine($"load: load average before {loadBefore}, after {loadAfter}; results written to {output}");
        if (keep) Console.WriteLine($"load: kept {work} (registries, server logs)");
        else Directory.Delete(work, recursive: true);
        return results.Any(r => r.Failure is not null) ? 1 : 0;
    }

    private static async Task<Load> MeasureAsync(IBrowser browser, RunningBuild server, string script, string path, int round, bool verbose)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = server.BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 } });
        await context.AddInitScriptAsync(script);
        var page = await context.NewPageAsync();
        var firstLine = server.LineCount;
        var loadAverage = LoadAverage().Split(' ')[0];
        string? failure = null;
        var clock = Stopwatch.StartNew();
        try
        {
            await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
            await page.WaitForFunctionAsync("() => window.__plawBench !== undefined && window.__plawBench.done()", null,
                new() { Timeout = 60_000 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            failure = e.Message.Split('\n')[0];
        }
        var wall = clock.Elapsed.TotalMilliseconds;
        var marks = new Dictionary<string, double>();
        try
        {
            marks = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__plawBench ? window.__plawBench.result() : {}");
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            failure ??= e.Message.Split('\n')[0];
        }
        if (verbose)
            Console.WriteLine($"load: {server.Build.Label} first row: {await page.EvaluateAsync<string?>("() => window.__plawBench?.row ?? null")}");
        if (failure is not null)
            failure += $" (marks so far: {string.Join(", ", marks.Select(m => $"{m.Key} {m.Value:F0}"))})";
        await context.CloseAsync();
        return new Load(server.Build.Label, round, round <= 0, loadAverage, marks, wall, failure, firstLine);
    }

    private static readonly Regex Executed = new(@"Executed DbCommand \((\d+)ms\)", RegexOptions.Compiled);
    private static readonly Regex Read = new(@"after spending (\d+)ms reading results", RegexOptions.Compiled);

    /// <summary>
    /// The server side of the page's queries, from EF Core's command log: for each command reading the Runs table, its
    /// execution time plus the time its reader spent reading (and materialising) the results.
    /// </summary>
    private static void ServerSide(Load load, List<string> lines)
    {
        double total = 0;
        var count = 0;
        var open = false;
        foreach (var line in lines)
        {
            var executed = Executed.Match(line);
            if (executed.Success && line.Contains("FROM \"Runs\"", StringComparison.Ordinal))
            {
                total += double.Parse(executed.Groups[1].Value, CultureInfo.InvariantCulture);
                count++;
                open = true;
                continue;
            }
            var read = Read.Match(line);
            if (open && read.Success)
            {
                total += double.Parse(read.Groups[1].Value, CultureInfo.InvariantCulture);
                open = false;
            }
        }
        load.Server = count == 0 ? double.NaN : total;
        load.ServerQueries = count;
    }

    private static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(directory);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return output;
    }

    /// <summary>How much of a load's first-rows time was waiting for the circuit: all of it up to the circuit, none when the rows came first.</summary>
    private static double CircuitShare(Load load) => load.Rows >= load.Circuit ? load.Circuit / load.Rows : 0;

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    private static string Short(string commit) => commit.Length >= 7 ? commit[..7] : commit;

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToList();
        if (v.Count == 0) return double.NaN;
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(IEnumerable<double> values, double p)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToList();
        return v.Count == 0 ? double.NaN : v[(int)Math.Clamp(Math.Ceiling(p * v.Count) - 1, 0, v.Count - 1)];
    }

    private static double Min(IEnumerable<double> values) => values.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();

    private static string Ms(double value) => double.IsFinite(value) ? value.ToString("F0", CultureInfo.InvariantCulture) : "–";

    private static string DefaultOutput(DateTime started, string? name)
    {
        var root = RepositoryRoot() ?? Directory.GetCurrentDirectory();
        var stem = $"runs-page-load-{started:yyyy-MM-dd}" + (string.IsNullOrWhiteSpace(name) ? "" : "-" + Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-'));
        var file = Path.Combine(root, "bench", "results", stem + ".md");
        return File.Exists(file) ? Path.Combine(root, "bench", "results", $"{stem}-{started:HHmm}.md") : file;
    }

    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "PLawDashboard.sln")) && Directory.Exists(Path.Combine(d.FullName, "bench")))
                    return d.FullName;
        return null;
    }

    private static string Summary(List<WebBuild> builds, List<Load> results)
    {
        var text = new StringBuilder();
        foreach (var build in builds)
        {
            var mine = results.Where(r => r.Build == build.Label && !r.Warmup && r.Failure is null).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"load: {build.Label}: n = {mine.Count}; first rows median {Ms(Median(mine.Select(r => r.Rows)))} ms " +
                $"(p90 {Ms(Percentile(mine.Select(r => r.Rows), 0.9))}, min {Ms(Min(mine.Select(r => r.Rows)))}); circuit start-up median " +
                $"{Ms(Median(mine.Select(r => r.Circuit)))} ms (p90 {Ms(Percentile(mine.Select(r => r.Circuit), 0.9))}, min {Ms(Min(mine.Select(r => r.Circuit)))}); " +
                $"circuit share of first rows {Percent(Median(mine.Select(CircuitShare)))}; rows − circuit median {Ms(Median(mine.Select(r => r.AfterCircuit)))} ms; server Runs queries median {Ms(Median(mine.Select(r => r.Server)))} ms");
        }
        return text.ToString().TrimEnd();
    }

    private static string Report(string[] args, List<WebBuild> builds, List<RunningBuild> servers, Dictionary<string, RegistryCopy.Result> copies,
        List<Load> results, string seed, DateTime started, string loadBefore, string loadAfter, int loads, int warmup, string path,
        List<string> selectors, string? name, string? note)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.AppendLine(text);
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memory = File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim();
        var quoted = args.Select(a => Regex.IsMatch(a, @"^[\w./=:@,+-]+$") ? a : $"'{a.Replace("'", "'\\''")}'");

        Line($"# Runs page load: first rows with 10,000 runs and 1,000,000 metric points{(name is null ? "" : $" ({name})")}");
        Line();
        Line($"- Date: {started:yyyy-MM-dd HH:mm} UTC (took {(DateTime.UtcNow - started).TotalMinutes:F1} min)");
        Line($"- Command (from the repository root): `dotnet run -c Release --project bench/PLaw.Web.Bench -- load {string.Join(' ', quoted)}`");
        Line($"- Machine: {Environment.ProcessorCount} CPUs ({cpu}), {memory} memory, {Environment.OSVersion}; Chromium {ChromiumVersion()}");
        Line($"- Load average (/proc/loadavg): before `{loadBefore}`, after `{loadAfter}`; each load's 1-minute figure is in the table below");
        if (note is not null) Line($"- Note: {note}");
        Line($"- Registry: {seed}");
        Line($"- n = {loads} loads per build (plus {warmup} warm-up load{(warmup == 1 ? "" : "s")} each, not counted), interleaved: builds alternate within each round, and the order flips every round");
        Line($"- Page: `{path}`; first data row = {(selectors.Count == 0 ? "a visible table row holding a link to /runs/<id>" : string.Join(" or ", selectors.Select(s => $"`{s}`")))}");
        Line();
        Line("## How it is measured");
        Line();
        md.Append("""
            Every load opens a fresh browser context (headless Chromium, 1280×800, empty cache, new circuit) and times on the page's
            own clock, from navigation start:
            - **first rows**: the animation frame that paints the first visible data row of the runs table;
            - **circuit** (circuit start-up): the first render batch arriving over the Blazor circuit's WebSocket — the circuit is
              started and the server renders into the page. The same event in any Blazor Server build, whatever its layout or page;
            - `rows − circuit`: what the page spends after that (its queries, rendering, the grid's own round trips); negative when
              a prerendered page paints its rows before the circuit is up;
            - `html`: the prerendered document received (navigation responseEnd); `ws`: the circuit's WebSocket open;
              `marker`: the layout's `#plaw-interactive` marker (clicks work from here; the MudBlazor layout adds it only after
              reading the theme, one more round trip); `wall`: Playwright's own wait from `goto` until the probe reports (its
              polling included, as the earlier benchmark measured);
            - `server`: from each build's EF Core log, execution plus reading time of the commands that read the Runs table during
              that load (`FROM "Runs"`; how many in brackets).

            Each build runs as built (unpublished Release output, `ASPNETCORE_ENVIRONMENT=Development` so it serves its static
            assets, `PLaw__RunWorker=false`, its own data folder), all builds side by side for the whole measurement.

            """);
        Line();
        Line("## Builds");
        Line();
        Line("| build | folder | commit | framework | binary built | server start | registry migrations | notes |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var build in builds)
        {
            var server = servers.FirstOrDefault(s => s.Build == build);
            var notes = build.Warnings.Concat(copies[build.Label].Notes).DefaultIfEmpty("same schema as the seed; every row copied");
            Line($"| {build.Label} | `{build.Directory}` | {Short(build.Commit)} {Escape(Clip(build.CommitSubject))}{(build.SourcesCommit.StartsWith(Short(build.Commit), StringComparison.Ordinal) || build.SourcesCommit == "" ? "" : $"; its sources (src/, migrations/) last changed in {Escape(Clip(build.SourcesCommit))}")} | {build.Framework} | {build.BinaryTime} | " +
                 $"{(server is null ? "–" : $"{server.StartTime.TotalSeconds:F1} s")} | {string.Join(", ", copies[build.Label].Migrations)} | " +
                 $"{Escape(string.Join("; ", notes))} |");
        }
        Line();
        Line($"## Results (ms from navigation start; n = {loads} per build)");
        Line();
        Line("| build | n ok | first rows median | p90 | min | circuit median | p90 | min | circuit share of first rows | rows − circuit median | html median | marker median | server median |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var build in builds)
        {
            var mine = results.Where(r => r.Build == build.Label && !r.Warmup && r.Failure is null).ToList();
            var rows = mine.Select(r => r.Rows).ToList();
            var circuit = mine.Select(r => r.Circuit).ToList();
            var share = Median(mine.Select(CircuitShare));
            var rowsFirst = mine.Count(r => r.Rows < r.Circuit);
            Line($"| {build.Label} | {mine.Count} | **{Ms(Median(rows))}** | {Ms(Percentile(rows, 0.9))} | {Ms(Min(rows))} | **{Ms(Median(circuit))}** | " +
                 $"{Ms(Percentile(circuit, 0.9))} | {Ms(Min(circuit))} | {Percent(share)}{(rowsFirst > 0 ? $" (rows before the circuit in {rowsFirst} of {mine.Count})" : "")} | {Ms(Median(mine.Select(r => r.AfterCircuit)))} | " +
                 $"{Ms(Median(mine.Select(r => r.Get("responseEnd"))))} | {Ms(Median(mine.Select(r => r.Get("interactive"))))} | {Ms(Median(mine.Select(r => r.Server)))} |");
        }
        Line();
        Line("Circuit share of first rows: per load, circuit ÷ first rows when the rows wait for the circuit, 0 when they are painted before");
        Line("it (prerendered rows: none of their time is circuit start-up); the median over loads. `rows − circuit` is then negative.");
        var failed = results.Where(r => r.Failure is not null).ToList();
        if (failed.Count > 0)
        {
            Line();
            Line($"**{failed.Count} load(s) failed** (not in the figures):");
            foreach (var f in failed) Line($"- {f.Build}, round {f.Round}: {Escape(f.Failure!)}");
        }
        Line();
        Line("## Every load");
        Line();
        Line("| round | build | load avg | first rows | circuit | rows − circuit | html | ws | marker | wall | server (queries) |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            Line($"| {(r.Warmup ? "warm-up" : r.Round.ToString(CultureInfo.InvariantCulture))} | {r.Build} | {r.LoadAverage} | " +
                 (r.Failure is null ? $"{Ms(r.Rows)} | {Ms(r.Circuit)} | {Ms(r.AfterCircuit)}" : "failed | | ") + " | " +
                 $"{Ms(r.Get("responseEnd"))} | {Ms(r.Get("wsOpen"))} | {Ms(r.Get("interactive"))} | {Ms(r.Wall)} | {Ms(r.Server)} ({r.ServerQueries}) |");
        return md.ToString();
    }

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P0", CultureInfo.InvariantCulture) : "–";

    private static string Clip(string text) => text.Length > 90 ? text[..90] + "…" : text;

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    private static string ChromiumVersion()
    {
        try
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("PLAW_CHROMIUM") ?? "/usr/bin/chromium", "--version")
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return version;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
