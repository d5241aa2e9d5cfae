using PLaw.Entropy.Structures;

namespace PLaw.Entropy.Tests;

/// <summary>The table's shortcut for windows that never repeat an item gives each window's own values, to the bit.</summary>
public sealed class AllDistinctWindowsTests
{
    [Fact]
    public void LengthAloneGivesTheWindowsOwnApenAndRealEntropies()
    {
        var random = new Random(3);
        var w = new EntropyWorkspace();
        var shortcut = new AllDistinctWindows();
        // m changes between calls and lengths jump up and down, as they do between tables and users on one thread.
        foreach (var (m, length) in new[] { (2, 5), (2, 0), (1, 7), (2, 300), (3, 40), (2, 1), (2, 2), (2, 3), (1, 600), (2, 40), (3, 4) })
        {
            var window = Enumerable.Range(1, 50_000).OrderBy(_ => random.Next()).Take(length).ToArray();
            shortcut.Measures(length, m, w, out var apen, out var real, out var reference);
            Assert.Equal(Bits(ApproximateEntropy.Compute(window, m)), Bits(apen));
            Assert.Equal(Bits(RealEntropy.Textbook(window)), Bits(real));
            Assert.Equal(Bits(RealEntropy.Reference(window)), Bits(reference));
        }
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
