using PLaw.Data.Sequences;

namespace PLaw.Engine.Tests;

/// <summary>Tiny synthetic sequence sets with a learnable pattern: user u walks the catalogue with stride 1 + u mod 3.</summary>
internal static class TestData
{
    public static SequenceSet Walks(int users = 40, int items = 30, int minLength = 6, int maxLength = 14, bool timestamps = false)
    {
        var offsets = new List<int> { 0 };
        var seq = new List<int>();
        var times = new List<long>();
        for (var u = 0; u < users; u++)
        {
            var n = minLength + u * 7 % (maxLength - minLength + 1);
            var stride = 1 + u % 3;
            for (var t = 0; t < n; t++)
            {
                seq.Add((u + t * stride) % items + 1);
                times.Add(1_600_000_000L + u * 1000 + t * t * 3600);
            }
            offsets.Add(seq.Count);
        }
        return new SequenceSet(offsets.ToArray(), seq.ToArray(), items, timestamps ? times.ToArray() : null);
    }
}
