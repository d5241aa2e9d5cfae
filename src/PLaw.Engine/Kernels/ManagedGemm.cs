using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Managed GEMM, C[m,n] = α·op(A)·op(B) + β·C (row-major): OpenBLAS's stand-in, and the GEMM whose float results do not
/// depend on the batch layout. Floats on AVX2 + FMA go to <see cref="OrderedSgemm"/>. Otherwise op(B) is packed into a
/// contiguous [kc, n] panel (per-thread buffer, reused), op(A) into [mc, kc] with α folded in; the micro-kernel then
/// updates four rows of C at once with Vector&lt;T&gt; axpys over the packed B rows, blocked over k so the panel stays in
/// cache. Works for any shape (tails are scalar).
/// </summary>
public static class ManagedGemm
{
    private const int KBlock = 128;
    private const int MBlock = 64;

    [ThreadStatic] private static float[]? _packF;
    [ThreadStatic] private static double[]? _packD;
    [ThreadStatic] private static float[]? _packAF;
    [ThreadStatic] private static double[]? _packAD;

    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        // C = β·C first.
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
        if (k == 0 || alpha == T.Zero) return;
        if (typeof(T) == typeof(float) && OrderedSgemm.IsSupported)
        {
            OrderedSgemm.Accumulate(transA, transB, m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, MemoryMarshal.Cast<T, float>(c), ldc);
            return;
        }

        var bPack = Buffer<T>(ref typeof(T) == typeof(float) ? ref Unsafe.As<float[]?, T[]?>(ref _packF) : ref Unsafe.As<double[]?, T[]?>(ref _packD), KBlock * n);
        var aPack = Buffer<T>(ref typeof(T) == typeof(float) ? ref Unsafe.As<float[]?, T[]?>(ref _packAF) : ref Unsafe.As<double[]?, T[]?>(ref _packAD), MBlock * KBlock);

        for (var p0 = 0; p0 < k; p0 += KBlock)
        {
            var kc = Math.Min(KBlock, k - p0);
            // Pack op(B)[p0..p0+kc, 0..n) row-major.
            for (var p = 0; p < kc; p++)
            {
                var dst = bPack.AsSpan(p * n, n);
                if (!transB) b.Slice((p0 + p) * ldb, n).CopyTo(dst);
                else
                    for (var j = 0; j < n; j++) dst[j] = b[j * ldb + p0 + p];
            }
            for (var i0 = 0; i0 < m; i0 += MBlock)
            {
                var mc = Math.Min(MBlock, m - i0);
                // Pack α·op(A)[i0..i0+mc, p0..p0+kc).
                for (var i = 0; i < mc; i++)
                for (var p = 0; p < kc; p++)
                    aPack[i * kc + p] = alpha * (transA ? a[(p0 + p) * lda + i0 + i] : a[(i0 + i) * lda + p0 + p]);
                Block(aPack, bPack, mc, n, kc, c[(i0 * ldc)..], ldc);
            }
        }
    }

    private static T[] Buffer<T>(ref T[]? field, int length)
    {
        if (field is null || field.Length < length) field = new T[Math.Max(length, 1 << 14)];
        return field;
    }

    // C[mc, n] += A[mc, kc] · B[kc, n], both packed row-major.
    private static void Block<T>(T[] aPack, T[] bPack, int mc, int n, int kc, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector<T>.Count;
        var nv = Vector.IsHardwareAccelerated ? n / w * w : 0;
        var i = 0;
        for (; i + 4 <= mc; i += 4)
        {
            var c0 = c.Slice(i * ldc, n);
            var c1 = c.Slice((i + 1) * ldc, n);
            var c2 = c.Slice((i + 2) * ldc, n);
            var c3 = c.Slice((i + 3) * ldc, n);
            for (var j = 0; j < nv; j += w)
            {
                var s0 = new Vector<T>(c0[j..]);
                var s1 = new Vector<T>(c1[j..]);
                var s2 = new Vector<T>(c2[j..]);
                var s3 = new Vector<T>(c3[j..]);
                for (var p = 0; p < kc; p++)
                {
                    var bv = new Vector<T>(bPack.AsSpan(p * n + j));
                    s0 += bv * aPack[i * kc + p];
                    s1 += bv * aPack[(i + 1) * kc + p];
                    s2 += bv * aPack[(i + 2) * kc + p];
                    s3 += bv * aPack[(i + 3) * kc + p];
                }
                s0.CopyTo(c0[j..]);
                s1.CopyTo(c1[j..]);
                s2.CopyTo(c2[j..]);
                s3.CopyTo(c3[j..]);
            }
            for (var j = nv; j < n; j++)
            {
                T s0 = c0[j], s1 = c1[j], s2 = c2[j], s3 = c3[j];
                for (var p = 0; p < kc; p++)
                {
                    var bv = bPack[p * n + j];
                    s0 += aPack[i * kc + p] * bv;
                    s1 += aPack[(i + 1) * kc + p] * bv;
                    s2 += aPack[(i + 2) * kc + p] * bv;
                    s3 += aPack[(i + 3) * kc + p] * bv;
                }
                c0[j] = s0; c1[j] = s1; c2[j] = s2; c3[j] = s3;
            }
        }
        for (; i < mc; i++)
        {
            var ci = c.Slice(i * ldc, n);
            for (var j = 0; j < nv; j += w)
            {
                var s = new Vector<T>(ci[j..]);
                for (var p = 0; p < kc; p++) s += new Vector<T>(bPack.AsSpan(p * n + j)) * aPack[i * kc + p];
                s.CopyTo(ci[j..]);
            }
            for (var j = nv; j < n; j++)
            {
                var s = ci[j];
                for (var p = 0; p < kc; p++) s += aPack[i * kc + p] * bPack[p * n + j];
                ci[j] = s;
            }
        }
    }

    /// <summary>The textbook triple loop in double accumulation: the slow reference both fast paths are tested against.</summary>
    public static void Reference<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            var s = 0.0;
            for (var p = 0; p < k; p++)
                s += double.CreateTruncating(transA ? a[p * lda + i] : a[i * lda + p]) * double.CreateTruncating(transB ? b[j * ldb + p] : b[p * ldb + j]);
            var prior = beta == T.Zero ? 0.0 : double.CreateTruncating(beta) * double.CreateTruncating(c[i * ldc + j]);
            c[i * ldc + j] = T.CreateTruncating(double.CreateTruncating(alpha) * s + prior);
        }
    }
}
