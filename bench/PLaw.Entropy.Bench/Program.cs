// The full entropy table (L ∈ {25, 50, 100, 200}, m = 2, r = 0) of a dataset, timed; then the same per-user measures with the
// straightforward O(n²) definitions (NaiveEntropy) for the ratio. Usage:
//   dotnet run -c Release --project bench/PLaw.Entropy.Bench -- [file] [format] [repeats]
// Where the time goes, phase by phase (a markdown table; bench/entropy-table.sh puts it in its results file):
//   dotnet run -c Release --project bench/PLaw.Entropy.Bench -- --phases [file] [format]
using System.Diagnostics;
using PLaw.Data.Import;
using PLaw.Entropy;
using PLaw.Entropy.Reference;

if (args.ElementAtOrDefault(0) == "--phases")
{
    Phases.Print(args.ElementAtOrDefault(1) ?? Path.Combine("..", "shared", "data", "amazon-games", "games.txt"),
        InteractionFormats.Parse(args.ElementAtOrDefault(2) ?? "sasrec"), EntropyTableOptions.Default.MaxLengths);
    return;
}
var path = args.ElementAtOrDefault(0) ?? Path.Combine("..", "shared", "data", "amazon-games", "games.txt");
var format = InteractionFormats.Parse(args.ElementAtOrDefault(1) ?? "sasrec");
var repeats = int.Parse(args.ElementAtOrDefault(2) ?? "5");
var demoWatch = Stopwatch.StartNew();
var demo = PLaw.Data.Synthetic.MarkovSequenceGenerator.Generate(new PLaw.Data.Synthetic.MarkovOptions());
Console.WriteLine($"demo dataset (Markov chain, defaults): generated in {demoWatch.Elapsed.TotalSeconds:F3} s, entropy rate {demo.EntropyRateBits:F3} bits");
if (args.Contains("--demo-only")) return;
var data = DatasetImporter.Import(path, new ImportOptions(format)).Sequences;
Console.WriteLine($"{path}: {data.UserCount:N0} users, {data.ItemCount:N0} items, {data.InteractionCount:N0} interactions; " +
                  $"{Environment.ProcessorCount} cores; compression via {CompressionRatio.Implementation}");

EntropyTable.Compute(data, EntropyTableOptions.Default); // warm-up (JIT)
var times = new List<double>();
IReadOnlyList<EntropyRow> rows = [];
for (var i = 0; i < repeats; i++)
{
    var watch = Stopwatch.StartNew();
    rows = EntropyTable.Compute(data, EntropyTableOptions.Default);
    times.Add(watch.Elapsed.TotalSeconds);
}
times.Sort();
Console.WriteLine($"full table, fast: median {times[times.Count / 2]:F3} s (min {times[0]:F3}, max {times[^1]:F3}) over {repeats} runs");

var naive = Stopwatch.StartNew();
foreach (var maxLength in EntropyTableOptions.Default.MaxLengths)
    NaiveEntropy.Row(data, maxLength);
Console.WriteLine($"full table, straightforward O(n²) definitions (NaiveEntropy.Row, one thread): {naive.Elapsed.TotalSeconds:F3} s " +
                  $"(fast is {naive.Elapsed.TotalSeconds / times[times.Count / 2]:F1}× faster)");

Console.WriteLine();
Console.WriteLine("    L     users    items      tokens  meanLen    ApEn   realH  realHref  Shannon  compr  tokens/ApEn  distinct  chShannon  chCompr  H(n|c)");
foreach (var r in rows)
    Console.WriteLine($"{r.MaxLen,5} {r.Users,9:N0} {r.Items,8:N0} {r.Tokens,11:N0} {r.MeanLength,8:F2} {r.Apen,7:F4} {r.RealEntropy,7:F4} {r.RealEntropyReference,9:F4} " +
                      $"{r.Shannon,8:F3} {r.CompressionRatio,6:F3} {r.TokensPerApen,12:N0} {r.AllDistinctShare,9:P1} {r.ChunkedShannon,10:F3} {r.ChunkedCompressionRatio,8:F3} {r.ConditionalEntropy,7:F3}");
