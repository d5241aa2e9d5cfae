namespace PLaw.Entropy.Tests;

/// <summary>Each definition pinned on sequences small enough to work by hand (the arithmetic is in the comments).</summary>
public sealed class EstimatorDefinitionTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void ApEnOfAConstantSequenceIsZero()
    {
        // k=2: 4 equal windows, C_i = 1, Φ2 = 0; k=3: 3 equal windows, Φ3 = 0.
        Assert.Equal(0, ApproximateEntropy.Compute([5, 5, 5, 5, 5]), Tolerance);
    }

    [Fact]
    public void ApEnOfAPeriodicSequenceMatchesHandComputation()
    {
        // [1,2,1,2,1,2], m = 2: k=2 windows 12,21,12,21,12 (N=5): Φ2 = (3 ln(3/5) + 2 ln(2/5)) / 5
        // k=3 windows 121,212,121,212 (N=4): Φ3 = ln(1/2).  ApEn = |Φ3 − Φ2| ≈ 0.020136
        var phi2 = (3 * Math.Log(3.0 / 5) + 2 * Math.Log(2.0 / 5)) / 5;
        var phi3 = Math.Log(0.5);
        Assert.Equal(Math.Abs(phi3 - phi2), ApproximateEntropy.Compute([1, 2, 1, 2, 1, 2]), Tolerance);
        Assert.Equal(0.020135513550688, ApproximateEntropy.Compute([1, 2, 1, 2, 1, 2]), 1e-12);
    }

    [Fact]
    public void ApEnOfAllDistinctItemsIsLogOfWindowRatio()
    {
        // [1..6]: every window unique. Φ2 = ln(1/5), Φ3 = ln(1/4); ApEn = ln(5/4).
        Assert.Equal(Math.Log(5.0 / 4), ApproximateEntropy.Compute([1, 2, 3, 4, 5, 6]), Tolerance);
    }

    [Fact]
    public void ApEnBelowMPlusOneItemsHasNoLongWindows()
    {
        // [3,4], m=2: k=2 one window, C=1, Φ2 = 0; k=3 no window, Φ3 = 0.
        Assert.Equal(0, ApproximateEntropy.Compute([3, 4]), Tolerance);
        Assert.Equal(0, ApproximateEntropy.Compute([3]), Tolerance);
        Assert.Equal(0, ApproximateEntropy.Compute([]), Tolerance);
    }

    [Fact]
    public void ApEnWithToleranceMatchesNearbyIds()
    {
        // r = 1 makes [1,2,1,2] windows all match: k=2: 12,21,12 each within 1 of each other → Φ2 = 0; k=3: Φ3 = 0.
        Assert.Equal(0, ApproximateEntropy.Compute([1, 2, 1, 2], m: 2, r: 1), Tolerance);
        // r = 0 on the same sequence: Φ2 = (2 ln(2/3) + ln(1/3))/3, Φ3 = ln(1/2).
        var expected = Math.Abs(Math.Log(0.5) - (2 * Math.Log(2.0 / 3) + Math.Log(1.0 / 3)) / 3);
        Assert.Equal(expected, ApproximateEntropy.Compute([1, 2, 1, 2], m: 2, r: 0), Tolerance);
    }

    [Fact]
    public void ApEnWithMOfOneUsesSingleItems()
    {
        // [1,1,2], m=1: k=1 windows 1,1,2: Φ1 = (2 ln(2/3) + ln(1/3))/3; k=2 windows 11,12: Φ2 = ln(1/2).
        var expected = Math.Abs(Math.Log(0.5) - (2 * Math.Log(2.0 / 3) + Math.Log(1.0 / 3)) / 3);
        Assert.Equal(expected, ApproximateEntropy.Compute([1, 1, 2], m: 1), Tolerance);
    }

    [Fact]
    public void RealEntropyOfAConstantSequence()
    {
        // [5,5,5,5,5]: Λ = 1 (nothing seen), 2 ("55" unseen), 3 ("555" unseen), 3 (rest seen: n−i+1 = 3), 2 (n−i+1 = 2).
        // Σ = 11 in both variants; S = 5 ln 5 / 11.
        var expected = 5 * Math.Log(5) / 11;
        Assert.Equal(expected, RealEntropy.Textbook([5, 5, 5, 5, 5]), Tolerance);
        Assert.Equal(expected, RealEntropy.Reference([5, 5, 5, 5, 5]), Tolerance);
    }

    [Fact]
    public void RealEntropyOfAllDistinctItemsIsLogNOverOne()
    {
        // [1..6]: every item new, Λ_i = 1 for all i: S = 6 ln 6 / 6 = ln 6.
        Assert.Equal(Math.Log(6), RealEntropy.Textbook([1, 2, 3, 4, 5, 6]), Tolerance);
        Assert.Equal(Math.Log(6), RealEntropy.Reference([1, 2, 3, 4, 5, 6]), Tolerance);
    }

    [Fact]
    public void RealEntropyVariantsDifferOnAPeriodicSequence()
    {
        // [1,2,1,2,1,2], n = 6.
        // Textbook: i0 "1" new → 1; i1 "2" new → 1; i2 "12" seen in [1,2], "121" not → 3; i3 "212" not in [1,2,1] → 3;
        //   i4 "12" seen, end → n−i+1 = 3; i5 "2" seen, end → 2.  Σ = 13.
        // Reference: {} i0 record "1" → 1; i1 record "2" → 1; i2 "1" in, record "12" → 2; i3 "2" in, record "21" → 2;
        //   i4 "1","12" in, end → 3; i5 "2" in, end → 2.  Σ = 11.
        Assert.Equal(6 * Math.Log(6) / 13, RealEntropy.Textbook([1, 2, 1, 2, 1, 2]), Tolerance);
        Assert.Equal(6 * Math.Log(6) / 11, RealEntropy.Reference([1, 2, 1, 2, 1, 2]), Tolerance);
    }

    [Fact]
    public void RealEntropyOfShortSequences()
    {
        Assert.Equal(0, RealEntropy.Textbook([]));
        Assert.Equal(0, RealEntropy.Reference([]));
        Assert.Equal(0, RealEntropy.Textbook([7])); // ln 1 = 0
        // [3,4]: Λ = 1, 1 → S = 2 ln 2 / 2.
        Assert.Equal(Math.Log(2), RealEntropy.Textbook([3, 4]), Tolerance);
    }

    [Fact]
    public void ShannonBitsOfSmallSequences()
    {
        Assert.Equal(0, ShannonEntropy.Bits([5, 5, 5, 5]), Tolerance);
        Assert.Equal(1, ShannonEntropy.Bits([1, 2, 1, 2]), Tolerance);
        Assert.Equal(Math.Log2(6), ShannonEntropy.Bits([1, 2, 3, 4, 5, 6]), Tolerance);
        // p = (1/2, 1/4, 1/4): H = 1.5 bits
        Assert.Equal(1.5, ShannonEntropy.Bits([9, 9, 3, 4]), Tolerance);
    }

    [Fact]
    public void CompressionRatioOfRepetitiveDataIsSmall()
    {
        var repetitive = Enumerable.Repeat(42, 1000).ToArray();
        var random = new Random(1);
        var noisy = Enumerable.Range(0, 1000).Select(_ => random.Next()).ToArray();
        Assert.True(CompressionRatio.Compute(repetitive) < 0.02);
        Assert.True(CompressionRatio.Compute(noisy) > 0.9);
        Assert.Equal(0, CompressionRatio.Compute([]));
    }

    [Fact]
    public void CompressionRatioMatchesZlibOfBigEndianIds()
    {
        // The ratio is exactly zlib(level 6) bytes / raw bytes of the big-endian ids; ZLibStream gives the same when the system zlib is
        // the classic one or zlib-ng — both sizes are within a few bytes, and the raw-size denominator is exact.
        int[] ids = [1, 2, 3, 1, 2, 3, 1, 2, 3, 70000];
        var raw = ids.SelectMany(i => new[] { (byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i }).ToArray();
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);
        var ratio = CompressionRatio.Compute(ids);
        Assert.InRange(ratio * raw.Length, output.Length - 4, output.Length + 4);
        Assert.Equal(0, ratio * raw.Length % 1, 9);
    }
}
