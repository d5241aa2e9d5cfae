namespace PLaw.Entropy.Tests.Zlib;

/// <summary>The port's compressed length equals libz's on thousands of generated inputs; seeds are fixed.</summary>
public sealed class ZlibPortRandomInputTests
{
    public static TheoryData<string> Kinds => new(ZlibInputs.Kinds);

    /// <summary>Sizes around the limits: 16383 symbols per block, the 32K window, MAX_DIST, the 64K slide, several slides.</summary>
    private static readonly int[] Boundaries =
    [
        4095, 4096, 4097, 16380, 16381, 16382, 16383, 16384, 16385, 16386, 32506, 32767, 32768, 32769, 65273, 65274, 65275, 65535, 65536,
        65537, 98042, 98304, 131072, 200_000, 300_000,
    ];

    [Theory, MemberData(nameof(Kinds))]
    public void EverySmallSize(string kind)
    {
        using var oracle = new ZlibOracle();
        for (var seed = 1; seed <= 3; seed++)
        {
            var random = new Random(seed);
            for (var size = 0; size <= 400; size++)
                oracle.AssertSameLength(ZlibInputs.Make(kind, random, size), $"{kind}, seed {seed}");
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void RandomSizesUpTo20K(string kind)
    {
        using var oracle = new ZlibOracle();
        var random = new Random(1000 + Array.IndexOf(ZlibInputs.Kinds, kind));
        for (var trial = 0; trial < 300; trial++)
        {
            var size = trial % 3 == 0 ? random.Next(20_000) : random.Next(1000);
            var seed = random.Next();
            oracle.AssertSameLength(ZlibInputs.Make(kind, new Random(seed), size), $"{kind}, trial {trial}, seed {seed}");
        }
    }

    /// <summary>Inputs that use the sorted hash chains and the four-byte match search (4 KB up to the first slide).</summary>
    [Theory, MemberData(nameof(Kinds))]
    public void MidSizesWithoutSlide(string kind)
    {
        using var oracle = new ZlibOracle();
        var random = new Random(2000 + Array.IndexOf(ZlibInputs.Kinds, kind));
        for (var trial = 0; trial < 60; trial++)
        {
            var size = random.Next(4096, 65274);
            var seed = random.Next();
            oracle.AssertSameLength(ZlibInputs.Make(kind, new Random(seed), size), $"{kind}, trial {trial}, seed {seed}");
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void SizesAroundBlockAndWindowLimits(string kind)
    {
        using var oracle = new ZlibOracle();
        foreach (var size in Boundaries)
            oracle.AssertSameLength(ZlibInputs.Make(kind, new Random(size), size), $"{kind}, seed {size}");
    }

    /// <summary>
    /// The same short inputs after inputs of other sizes: libz keeps the window between calls and longest_match reads past
    /// the input's end, so what an earlier call left there can pick another match.
    /// </summary>
    [Fact]
    public void ShortInputsAfterLongerOnes()
    {
        using var oracle = new ZlibOracle();
        var random = new Random(7);
        for (var trial = 0; trial < 3000; trial++)
        {
            var kind = ZlibInputs.Kinds[random.Next(2, 5)];
            var size = 4 * random.Next(1, trial % 10 == 0 ? 2000 : 200);
            var seed = random.Next();
            oracle.AssertSameLength(ZlibInputs.Make(kind, new Random(seed), size), $"{kind}, trial {trial}, seed {seed}");
        }
    }
}
