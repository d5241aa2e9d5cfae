using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// The pieces of one table, run on every core: the costliest first (longest-processing-time order), each worker taking
/// the next piece when it is free, so the cores finish together. Each piece writes only its own slots, so the result does
/// not depend on which worker ran what. Progress is the share of estimated cost done, reported in fiftieths.
/// </summary>
internal sealed class TableWork
{
    // A class, not a (cost, action) tuple: generic code over a reference type is precompiled (ReadyToRun), over a tuple it
    // would be compiled at run time, on the critical path of a one-off `plaw entropy`.
    private sealed class Piece(double cost, int index, Action<EntropyWorkspace> run)
    {
        public readonly double Cost = cost;
        public readonly int Index = index;
        public readonly Action<EntropyWorkspace> Run = run;
    }

    private readonly List<Piece> pieces = [];

    /// <param name="cost">Estimated microseconds: it orders the pieces and weighs progress, nothing else.</param>
    public void Add(double cost, Action<EntropyWorkspace> run) => pieces.Add(new Piece(cost, pieces.Count, run));

    /// <param name="threads">Workers; the table passes every core, tests also one (the order of a single thread).</param>
    public void Run(int threads, IProgress<double>? progress, CancellationToken ct)
    {
        var order = pieces.ToArray();
        // Costliest first; equal costs keep the order they were added in.
        Array.Sort(order, static (a, b) => a.Cost != b.Cost ? b.Cost.CompareTo(a.Cost) : a.Index.CompareTo(b.Index));
        double total = 0;
        foreach (var piece in order) total += piece.Cost;
        total = Math.Max(total, 1e-9);
        var next = -1;
        double done = 0;
        var reported = 0;
        var gate = new Lock();
        Parallel.For(0, Math.Max(1, threads), new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Math.Max(1, threads) }, _ =>
        {
            var w = EntropyWorkspace.Current;
            for (int i; (i = Interlocked.Increment(ref next)) < order.Length;)
            {
                ct.ThrowIfCancellationRequested();
                order[i].Run(w);
                if (progress is null) continue;
                lock (gate)
                {
                    done += order[i].Cost;
                    var fiftieths = (int)(50 * done / total);
                    if (fiftieths <= reported) continue;
                    reported = fiftieths;
                    progress.Report(Math.Min(1, done / total));
                }
            }
        });
    }
}
