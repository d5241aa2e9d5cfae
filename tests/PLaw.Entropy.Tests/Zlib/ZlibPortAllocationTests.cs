using PLaw.Entropy.Structures.Zlib;

namespace PLaw.Entropy.Tests.Zlib;

public sealed class ZlibPortAllocationTests
{
    /// <summary>One state serves every call: after the first calls (which make its buffers) nothing is allocated.</summary>
    [Fact]
    public void CallsAllocateNothingOnceWarm()
    {
        var port = new DeflateSize();
        var random = new Random(3);
        var inputs = Enumerable.Range(0, 200).Select(i => ZlibInputs.Make(ZlibInputs.Kinds[i % ZlibInputs.Kinds.Length], random,
            i % 50 == 0 ? random.Next(4096, 100_000) : random.Next(0, 800))).ToArray();
        foreach (var input in inputs) port.CompressedLength(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var input in inputs) port.CompressedLength(input);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
