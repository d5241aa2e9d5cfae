// Timings of the law fitting: a 35-point performance-law fit, a 200-resample bootstrap of its optimum, the joint law over
// four datasets, and the optimum search over the default 64 × 1017 grid. Prints the median (and min, max) of repeated runs.
// Run: dotnet run -c Release --project bench/PLaw.Laws.Bench
using System.Diagnostics;
using PLaw.Laws;
using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

var truth = new PerformanceLawParameters(W1: 0.5, W2: 1.0, W3: -0.3, W4: -0.15, W5: 0.2, D: 50, B: 1.2);
var random = new Random(7);
double Noise() => 0.002 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
var points = (from n in new[] { 1, 2, 4, 8, 12, 16, 24 } from d in new[] { 16, 32, 64, 128, 256 }
              select new PerformancePoint(n, d, truth.Value(n, d) + Noise())).ToList();
var joint = (from q in new[] { 1e5, 3e5, 1e6, 3e6 }
             from p in points
             select new DatasetPerformancePoint($"q{q}", q, p.Layers, p.Dim,
                 new JointPerformanceLawParameters(0.5, 1.0, -0.3, -0.15, -0.1, 2e-4, 1.2).Value(p.Layers, p.Dim, q) + Noise())).ToList();
var space = new SearchSpace(1, 64, 8, 1024);

Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, load average {LoadAverage()}");
Report("performance-law fit, 35 points", 101, () => PerformanceFit.Fit(points));
Report("bootstrap of the optimum, 200 resamples (fit + refits + optima)", 11, () => Bootstrap.Optimum(points, space, options: new BootstrapOptions(200, 1)));
Report("joint law, 4 datasets × 35 points, + per-dataset D", 11, () => JointPerformanceFit.Fit(joint));
Report("optimum search, 64 × 1017 grid, full ranking", 21, () => OptimumSearch.Rank(truth, space));
var fit = PerformanceFit.Fit(points).Result;
Console.WriteLine($"35-point fit: R² {fit.R2:F4}, RMSE {fit.Rmse:G3}, {fit.Descents} descents, {fit.Iterations} LM iterations, not identifiable: {string.Join(", ", fit.NotIdentifiable)}");

// Wall-clock and process CPU time per run: on a shared machine the wall clock includes waiting for a core, the CPU time
// does not (the work is single-threaded), so both are printed.
static void Report(string name, int repeats, Action work)
{
    work(); // warm-up (JIT)
    var wall = new double[repeats];
    var cpu = new double[repeats];
    var process = Process.GetCurrentProcess();
    for (var i = 0; i < repeats; i++)
    {
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        work();
        wall[i] = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        cpu[i] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
    }
    Array.Sort(wall);
    Array.Sort(cpu);
    Console.WriteLine($"{name}: median {wall[repeats / 2]:F2} ms wall (min {wall[0]:F2}, max {wall[^1]:F2}), median {cpu[repeats / 2]:F2} ms CPU, n = {repeats}");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
