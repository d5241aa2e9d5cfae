using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests.Kernels;

/// <summary>Both GEMM paths against the textbook reference and against each other, on shapes that are not multiples of the vector width.</summary>
public sealed class GemmTests
{
    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 5, 7), (17, 33, 9), (64, 150, 50), (50, 50, 130), (129, 31, 257), (5, 200, 3), (70, 600, 40), (3, 700, 20) })
        foreach (var ta in new[] { false, true })
        foreach (var tb in new[] { false, true })
            data.Add(m, n, k, ta, tb);
        return data;
    }

    private static float[] Random(int n, Rng rng) => Enumerable.Range(0, n).Select(_ => (float)rng.NextGaussian()).ToArray();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ManagedMatchesReferenceAndOpenBlas(int m, int n, int k, bool transA, bool transB)
    {
        var rng = new Rng((ulong)(m * 1000 + n * 10 + k));
        var (lda, ldb, ldc) = (transA ? m + 1 : k + 2, transB ? k + 3 : n + 1, n + 4); // padded leading dimensions
        var a = Random((transA ? k : m) * lda, rng);
        var b = Random((transB ? n : k) * ldb, rng);
        var c0 = Random(m * ldc, rng);
        var expected = (float[])c0.Clone();
        ManagedGemm.Reference(transA, transB, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, expected, ldc);
        var managed = (float[])c0.Clone();
        ManagedGemm.Gemm(transA, transB, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, managed, ldc);
        AssertClose(expected, managed, m, n, ldc, k);
        Assert.Equal(c0[n], managed[n]); // the padding between rows is left alone
        if (!OpenBlas.IsAvailable) return;
        var blas = (float[])c0.Clone();
        OpenBlas.Gemm(transA, transB, m, n, k, 0.7f, a, lda, b, ldb, 0.3f, blas, ldc);
        AssertClose(expected, blas, m, n, ldc, k);
        AssertClose(blas, managed, m, n, ldc, k);
    }

    [Fact]
    public void DoublePathsAgreeToRoundOff()
    {
        var rng = new Rng(5);
        const int m = 13, n = 27, k = 19;
        var a = Enumerable.Range(0, m * k).Select(_ => rng.NextGaussian()).ToArray();
        var b = Enumerable.Range(0, n * k).Select(_ => rng.NextGaussian()).ToArray();
        var expected = new double[m * n];
        var managed = new double[m * n];
        ManagedGemm.Reference(false, true, m, n, k, 1.0, a, k, b, k, 0.0, expected, n);
        ManagedGemm.Gemm(false, true, m, n, k, 1.0, a, k, b, k, 0.0, managed, n);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], managed[i], 1e-12);
        if (!OpenBlas.IsAvailable) return;
        var blas = new double[m * n];
        OpenBlas.Gemm(false, true, m, n, k, 1.0, a, k, b, k, 0.0, blas, n);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], blas[i], 1e-12);
    }

    [Fact]
    public void BetaZeroIgnoresNaNsInTheOutput()
    {
        var c = Enumerable.Repeat(float.NaN, 6).ToArray();
        ManagedGemm.Gemm(false, false, 2, 3, 1, 1f, [1f, 2f], 1, [1f, 2f, 3f], 3, 0f, c, 3);
        Assert.Equal([1f, 2f, 3f, 2f, 4f, 6f], c);
    }

    [Fact]
    public void OpenBlasLoadsOnThisMachine()
    {
        // Debian's libopenblas0-pthread is part of the documented setup (doubles use it, and PLAW_GEMM=openblas floats);
        // floats run on the managed AVX2 + FMA kernels where the processor has them.
        Assert.True(OpenBlas.IsAvailable || Environment.GetEnvironmentVariable("PLAW_EXPECT_NO_OPENBLAS") == "1",
            $"{OpenBlas.LibraryName} did not load; install libopenblas0-pthread or set PLAW_EXPECT_NO_OPENBLAS=1.");
        Assert.Equal(Gemm.OrderedFloatKernels || !OpenBlas.IsAvailable ? "managed" : "openblas", Gemm.BackendName);
    }

    private static void AssertClose(float[] expected, float[] actual, int m, int n, int ldc, int k)
    {
        var tolerance = 1e-5f * (k + 4);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var e = expected[i * ldc + j];
            var a = actual[i * ldc + j];
            Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"C[{i},{j}]: expected {e}, got {a}");
        }
    }
}
