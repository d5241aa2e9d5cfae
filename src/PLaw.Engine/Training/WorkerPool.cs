namespace PLaw.Engine.Training;

/// <summary>
/// A fixed set of threads that run one action per worker index and wait for each other (a <see cref="Barrier"/>):
/// worker 0 is the calling thread. No allocation per run, fixed partitioning, so results are deterministic for a
/// given thread count.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Barrier _start, _done;
    private readonly Thread[] _threads;
    private Action<int>? _work;
    private volatile bool _stop;
    private Exception? _error;

    public WorkerPool(int workers)
    {
        Workers = workers;
        _start = new Barrier(workers);
        _done = new Barrier(workers);
        _threads = new Thread[workers - 1];
        for (var i = 1; i < workers; i++)
        {
            var index = i;
            _threads[i - 1] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"plaw-worker-{index}" };
            _threads[i - 1].Start();
        }
    }

    public int Workers { get; }

    public void Run(Action<int> work)
    {
        _work = work;
        _error = null;
        if (Workers > 1) _start.SignalAndWait();
        try { work(0); }
        catch (Exception e) { _error ??= e; }
        if (Workers > 1) _done.SignalAndWait();
        if (_error is not null) throw new AggregateException(_error);
    }

    private void Loop(int index)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stop) return;
            try { _work!(index); }
            catch (Exception e) { _error ??= e; }
            _done.SignalAndWait();
        }
    }

    public void Dispose()
    {
        if (Workers > 1 && !_stop)
        {
            _stop = true;
            _start.SignalAndWait();
            foreach (var t in _threads) t.Join();
        }
        _start.Dispose();
        _done.Dispose();
    }
}
