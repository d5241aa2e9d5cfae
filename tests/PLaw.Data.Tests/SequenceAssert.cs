using PLaw.Data.Sequences;

namespace PLaw.Data.Tests;

internal static class SequenceAssert
{
    /// <summary>Every user's item sequence, as arrays, for whole-set comparisons.</summary>
    public static int[][] Sequences(SequenceSet set) =>
        Enumerable.Range(0, set.UserCount).Select(u => set.Sequence(u).ToArray()).ToArray();

    public static long[][] Times(SequenceSet set) =>
        Enumerable.Range(0, set.UserCount).Select(u => set.Times(u).ToArray()).ToArray();

    public static void Equal(int[][] expected, SequenceSet actual)
    {
        Assert.Equal(expected.Length, actual.UserCount);
        for (var u = 0; u < expected.Length; u++)
            Assert.Equal(expected[u], actual.Sequence(u).ToArray());
    }
}
