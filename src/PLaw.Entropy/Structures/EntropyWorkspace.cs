namespace PLaw.Entropy.Structures;

/// <summary>Scratch space for one thread: every estimator borrows from it, so measuring a user allocates nothing.</summary>
internal sealed class EntropyWorkspace : IDisposable
{
    [ThreadStatic] private static EntropyWorkspace? current;

    public static EntropyWorkspace Current => current ??= new EntropyWorkspace();

    public readonly LongIntMap Map = new();
    public readonly SuffixAutomaton Automaton = new();
    public readonly AllDistinctWindows AllDistinct = new();
    public int[] Ids = new int[256];
    public int[] Counts = new int[256];
    public int[] Sorted = new int[256];
    public byte[] Bytes = new byte[1024];
    public Deflater Deflater { get; } = Deflater.Create();

    public static int[] Ensure(ref int[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new int[Math.Max(length, buffer.Length * 2)];
        return buffer;
    }

    public static byte[] Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
        return buffer;
    }

    public void Dispose() => Deflater.Dispose();
}
