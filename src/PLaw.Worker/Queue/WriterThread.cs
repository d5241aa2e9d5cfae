using System.Runtime.InteropServices;

namespace PLaw.Worker.Queue;

/// <summary>
/// What the metric sink's own thread needs from Linux: to step aside for the training threads (a nice value, which Linux
/// keeps per thread) and its own CPU time (CLOCK_THREAD_CPUTIME_ID), so its cost is measured rather than assumed. On other
/// systems the thread keeps its priority and its CPU time reads zero.
/// </summary>
public static partial class WriterThread
{
    /// <summary>
    /// Nice 10: under CFS the writer weighs 110 against a training thread's 1,024, so while both cores train it does not
    /// preempt them on waking and runs mostly in their gaps (a barrier's wait, an epoch's end). Not 19 (weight 15): the writer
    /// holds the run's transaction (SQLite's write lock, the run's row on PostgreSQL), and at 19 a busy host starved it
    /// holding them: the trainer waited 4 s at a checkpoint behind it at load 35 (bench/results/logging-overhead-2026-11-30.md).
    /// </summary>
    public const int Nice = 10;

    /// <summary>Gives the calling thread the nice value <see cref="Nice"/>; false when the system does not allow it.</summary>
    public static bool StepAside()
    {
        if (!OperatingSystem.IsLinux()) return false;
        return setpriority(PrioProcess, gettid(), Nice) == 0;
    }

    /// <summary>The calling thread's nice value (Linux), or null elsewhere.</summary>
    public static int? CurrentNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        Marshal.SetLastPInvokeError(0);
        var nice = getpriority(PrioProcess, gettid());
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    /// <summary>CPU time the calling thread has used (user and system).</summary>
    public static TimeSpan CpuTime()
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(ClockThreadCputimeId, out var t) != 0) return TimeSpan.Zero;
        return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
    }

    private const int PrioProcess = 0, ClockThreadCputimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setpriority(int which, int who, int priority);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc.so.6")]
    private static partial int gettid();

    [LibraryImport("libc.so.6")]
    private static partial int clock_gettime(int clock, out Timespec time);
}
