using System.Runtime.ExceptionServices;
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
        Exception? failure = null;

        void Work()
        {
            try
            {
                var w = EntropyWorkspace.Current;
                for (int i; Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < order.Length;)
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
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null); // the others stop at their next piece
            }
        }

        // The calling thread is one of the workers. (Not Parallel.For: its code over int has no ReadyToRun code, and compiling
        // it at run time would stall the table's start.)
        var helpers = new Task[Math.Max(1, threads) - 1];
        for (var t = 0; t < helpers.Length; t++) helpers[t] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        Work();
        Task.WaitAll(helpers);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }
}
