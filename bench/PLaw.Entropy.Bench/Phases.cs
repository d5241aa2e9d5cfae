using System.Diagnostics;
using PLaw.Data.Import;
using PLaw.Data.Sequences;
using PLaw.Entropy;

/// <summary>
/// Where the time of one entropy table goes, phase by phase, on one thread (the table itself runs on every core): reading,
/// each per-user estimator over every row's windows (what the table did before it shared work between rows) and over the
/// distinct windows only (what it does now), each chunked estimator and H(next | current) per length, then the whole table.
/// Prints a markdown table; the first pass includes JIT, the others are the best of the warm passes (CPU is the process's,
/// so on a loaded machine it is the steadier figure; CPU has a resolution of about 10 ms).
/// </summary>
internal static class Phases
{
    public static void Print(string path, InteractionFormat format, IReadOnlyList<int> lengths, int passes = 3)
    {
        var times = new Dictionary<string, List<(double Wall, double Cpu)>>();
        var order = new List<string>();
        static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        void Time(string phase, Action work)
        {
            var cpu = Cpu();
            var watch = Stopwatch.StartNew();
            work();
            if (!times.TryGetValue(phase, out var list))
            {
                times[phase] = list = [];
                order.Add(phase);
            }
            list.Add((watch.Elapsed.TotalMilliseconds, Cpu() - cpu));
        }

        SequenceSet data = null!;
        for (var pass = 0; pass <= passes; pass++)
        {
            Time("read the file's bytes (page cache)", () => File.ReadAllBytes(path));
            Time("import: parse, intern ids, build sequences", () => data = DatasetImporter.Import(path, new ImportOptions(format)).Sequences);
            var sorted = lengths.Distinct().Order().ToArray();
            foreach (var (name, measure) in PerUser)
            {
                Time($"per-user {name}, every row's window ({lengths.Count} × {data.UserCount:N0})", () =>
                {
                    foreach (var l in lengths)
                        for (var u = 0; u < data.UserCount; u++) measure(data.Window(u, l));
                });
                Time($"per-user {name}, distinct windows only", () =>
                {
                    for (var u = 0; u < data.UserCount; u++)
                        for (var i = 0; i < sorted.Length && (i == 0 || sorted[i - 1] < data.Length(u)); i++)
                            measure(data.Window(u, sorted[i]));
                });
            }
            foreach (var l in lengths)
            {
                var chunks = Chunks(data, l, EntropyTableOptions.Default.ChunkTokens);
                foreach (var (name, measure) in Chunked)
                    Time($"L={l}: chunked {name} ({chunks.Count} chunks)", () =>
                    {
                        foreach (var c in chunks) measure(c);
                    });
                Time($"L={l}: H(next | current)", () => ConditionalEntropy.Compute(data, l));
            }
            Time($"H(next | current), every L in one pass (what the table does)", () => ConditionalEntropy.ComputeRows(data, lengths));
            Time($"whole table, {Environment.ProcessorCount} cores", () => EntropyTable.Compute(data, new EntropyTableOptions(lengths)));
        }

        Console.WriteLine("| phase | first pass wall (ms, with JIT) | best warm wall (ms) | best warm CPU (ms, all threads) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var phase in order)
        {
            var t = times[phase];
            var warm = t.Skip(1).DefaultIfEmpty(t[0]).ToList();
            Console.WriteLine($"| {phase} | {t[0].Wall:F1} | {warm.Min(x => x.Wall):F1} | {warm.Min(x => x.Cpu):F0} |");
        }
    }

    private static readonly (string Name, SpanMeasure Measure)[] PerUser =
    [
        ("ApEn (m=2, r=0)", w => ApproximateEntropy.Compute(w)),
        ("real entropy (textbook)", w => RealEntropy.Textbook(w)),
        ("real entropy (P-Law code)", w => RealEntropy.Reference(w)),
        ("Shannon", w => ShannonEntropy.Bits(w)),
        ("compression (zlib)", w => CompressionRatio.Compute(w)),
    ];

    private static readonly (string Name, SpanMeasure Measure)[] Chunked =
    [
        ("Shannon (by sorting; the table counts ids)", c => ShannonEntropy.Bits(c)),
        ("compression (zlib)", c => CompressionRatio.Compute(c)),
        ("ApEn", c => ApproximateEntropy.Compute(c)),
        ("real entropy", c => RealEntropy.Textbook(c)),
    ];

    private delegate double SpanMeasure(ReadOnlySpan<int> window);

    private static List<int[]> Chunks(SequenceSet data, int maxLength, int size)
    {
        var stream = Enumerable.Range(0, data.UserCount).SelectMany(u => data.Window(u, maxLength).ToArray()).ToArray();
        var chunks = stream.Chunk(size).ToList();
        if (chunks.Count > 1 && chunks[^1].Length < size / 2) chunks.RemoveAt(chunks.Count - 1);
        return chunks;
    }
}
