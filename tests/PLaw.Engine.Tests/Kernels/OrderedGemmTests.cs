using PLaw.Engine.Kernels;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Tests.Kernels;

/// <summary>
/// The managed float GEMM computes every element as one chain over k in order: a row of C comes out the same to the bit
/// whichever other rows share the call (tiles of 4, the row-at-a-time tail, the small-product path), and a sum over rows
/// with zero rows inserted (a padded batch's dW = dYᵀ·X) equals the sum without them.
/// </summary>
public sealed class OrderedGemmTests
{
    private static float[] Random(int n, Rng rng) => Enumerable.Range(0, n).Select(_ => (float)rng.NextGaussian()).ToArray();

    [Theory]
    [InlineData(false, false, 1f)]
    [InlineData(false, true, 1f)]
    [InlineData(true, false, 1f)]
    [InlineData(true, true, 0.7f)]
    [InlineData(false, true, 0.7f)]
    public void ARowIsTheSameWhicheverRowsShareTheCall(bool transA, bool transB, float alpha)
    {
        // k crosses the 256-deep blocking, n the 32-column tiles with a masked tail; 39 rows = 9 tiles of 4 + 3 alone.
        const int m = 39, n = 50, k = 300;
        var rng = new Rng(7);
        var (lda, ldb, ldc) = (transA ? m : k, transB ? k : n, n + 3);
        var a = Random((transA ? k : m) * lda, rng);
        var b = Random((transB ? n : k) * ldb, rng);
        var c0 = Random(m * ldc, rng);
        var whole = (float[])c0.Clone();
        ManagedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, 1f, whole, ldc);
        for (var i = 0; i < m; i++)
        {
            // Row i alone: op(A)'s row i is A's row i, or A's column i (offset i, same stride).
            var alone = c0.AsSpan(i * ldc, ldc).ToArray();
            var ai = transA ? a.AsSpan(i) : a.AsSpan(i * lda);
            ManagedGemm.Gemm(transA, transB, 1, n, k, alpha, ai, lda, b, ldb, 1f, alone, ldc);
            for (var j = 0; j < n; j++)
                Assert.True(BitConverter.SingleToInt32Bits(whole[i * ldc + j]) == BitConverter.SingleToInt32Bits(alone[j]),
                    $"C[{i},{j}]: {whole[i * ldc + j]:R} in the call of {m} rows, {alone[j]:R} alone");
            Assert.Equal(c0[i * ldc + n], whole[i * ldc + n]); // the padding past column n is left alone
        }
    }

    [Theory]
    [InlineData(40)]   // small product, one row at a time
    [InlineData(230)]  // tiled, the padded sum crosses the 256-deep blocking
    public void ZeroRowsAddNothingToASumOverRows(int realRows)
    {
        // dW[out, in] += dYᵀ·X as Linear's backward calls it: the padded batch has every real row of the packed one, in the
        // same order, with zero rows of dY (and arbitrary X) in between.
        const int outDim = 50, inDim = 50;
        var rng = new Rng(11);
        var dy = Random(realRows * outDim, rng);
        var x = Random(realRows * inDim, rng);
        var paddedRows = realRows * 4;
        var dyPadded = new float[paddedRows * outDim];
        var xPadded = Random(paddedRows * inDim, rng);
        for (var r = 0; r < realRows; r++)
        {
            dy.AsSpan(r * outDim, outDim).CopyTo(dyPadded.AsSpan((4 * r + 3) * outDim));
            x.AsSpan(r * inDim, inDim).CopyTo(xPadded.AsSpan((4 * r + 3) * inDim));
        }
        var start = Random(outDim * inDim, rng);
        var packed = (float[])start.Clone();
        var padded = (float[])start.Clone();
        ManagedGemm.Gemm(true, false, outDim, inDim, realRows, 1f, dy, outDim, x, inDim, 1f, packed, inDim);
        ManagedGemm.Gemm(true, false, outDim, inDim, paddedRows, 1f, dyPadded, outDim, xPadded, inDim, 1f, padded, inDim);
        for (var i = 0; i < packed.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(packed[i]) == BitConverter.SingleToInt32Bits(padded[i]),
                $"dW[{i / inDim},{i % inDim}]: {packed[i]:R} over {realRows} rows, {padded[i]:R} over {paddedRows} with zeros");
    }
}
