using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PLaw.Engine.Kernels;

/// <summary>
/// Float C += α·op(A)·op(B) for AVX2 + FMA, the managed GEMM's float path. Every element of C is one FMA chain over k
/// in order, starting from its value on entry, whatever m, n, the row tiling or the k blocking: a row's result never
/// depends on the other rows of the call, and a sum over rows (dW = dYᵀ·X) passes padding rows' exact zeros through
/// unchanged. So a packed batch trains bit for bit like its padded twin, which OpenBLAS (kernels chosen by shape) does not.
/// Tiles of 4 rows × 1 to 4 vectors of 8 columns, the last under a mask of C's columns; op(B) read in place, or packed
/// per [kc, nc] panel when transposed. op(A) is read in place (element (r, p) at a + r·rs + p·ps), or packed as [kc][4] with α folded in when
/// α ≠ 1. Rows past the last group of 4, and small products, go one row at a time (<see cref="Rows"/>).
/// </summary>
internal static unsafe class OrderedSgemm
{
    private const int KBlock = 256, NBlock = 512, SmallProduct = 1 << 15, InPlaceWidth = 64, SlabWidth = 64;

    [ThreadStatic] private static float[]? _bPanel;
    [ThreadStatic] private static float[]? _aGroup;

    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>C[m,n] += α·op(A)·op(B), row-major; β is applied by the caller.</summary>
    public static void Accumulate(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        var bPanel = _bPanel ??= new float[KBlock * NBlock];
        var aGroup = _aGroup ??= new float[4 * KBlock];
        // op(A)[i, p] = a[i·rowStep + p·depthStep]
        long rowStep = transA ? 1 : lda, depthStep = transA ? lda : 1;
        fixed (float* pa = a, pb = b, pc = c, bp = bPanel, gp = aGroup)
        {
            if (k <= KBlock && n <= NBlock && (m < 4 || (long)m * n * k <= SmallProduct))
            {
                if (!transB) Rows(m, n, k, alpha, pa, rowStep, depthStep, pb, ldb, pc, ldc);
                else
                {
                    var width = (n + 7) & ~7;
                    PackB(true, pb, ldb, 0, k, 0, n, width, bp);
                    Rows(m, n, k, alpha, pa, rowStep, depthStep, bp, width, pc, ldc);
                }
                return;
            }
            for (var j0 = 0; j0 < n; j0 += NBlock)
            {
                var nc = Math.Min(NBlock, n - j0);
                var width = (nc + 7) & ~7;
                for (var p0 = 0; p0 < k; p0 += KBlock)
                {
                    var kc = Math.Min(KBlock, k - p0);
                    // op(B) rows in place when B is not transposed and narrow (the kernels mask the last vector); else a
                    // contiguous panel, which wide rows at a power-of-two stride would otherwise thrash out of L1.
                    var bRows = pb + (long)p0 * ldb + j0;
                    var bStride = ldb;
                    if (transB || nc > InPlaceWidth)
                    {
                        PackB(transB, pb, ldb, p0, kc, j0, nc, width, bp);
                        bRows = bp;
                        bStride = width;
                    }
                    // Column slabs of at most 64 outside the row groups, so the slab of op(B) stays in L1 while A streams.
                    var groups = m / 4 * 4;
                    for (var s0 = 0; s0 < width; s0 += SlabWidth)
                    {
                        var slabEnd = Math.Min(width, s0 + SlabWidth);
                        for (var i = 0; i < groups; i += 4)
                        {
                            var first = pa + i * rowStep + p0 * depthStep;
                            float* group = first;
                            long rs = rowStep, ps = depthStep;
                            if (alpha != 1)
                            {
                                PackGroup(first, rowStep, depthStep, kc, alpha, gp);
                                group = gp;
                                rs = 1;
                                ps = 4;
                            }
                            var cRow = pc + (long)i * ldc + j0;
                            var j = s0;
                            for (; j + 32 <= slabEnd; j += 32) Tile(4, group, rs, ps, bRows + j, kc, bStride, cRow + j, ldc, nc - j);
                            if (j < slabEnd) Tile((slabEnd - j) / 8, group, rs, ps, bRows + j, kc, bStride, cRow + j, ldc, nc - j);
                        }
                    }
                    if (groups < m)
                        Rows(m - groups, nc, kc, alpha, pa + groups * rowStep + p0 * depthStep, rowStep, depthStep, bRows, bStride,
                            pc + (long)groups * ldc + j0, ldc);
                }
            }
        }
    }

    // Small products (a packed batch's per-sequence attention GEMMs) skip the tiling, and so do the last rows of a tiled
    // product: one row of C at a time, four masked vectors of columns, the same FMA chain per element as the tiles.
    // b: op(B) rows of bStride floats (in place, or a panel).
    private static void Rows(int m, int n, int k, float alpha, float* a, long rowStep, long depthStep, float* b, long bStride,
        float* c, int ldc)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (var i = 0; i < m; i++)
        {
            var ai = a + i * rowStep;
            var ci = c + (long)i * ldc;
            for (var j = 0; j < n; j += 32)
            {
                var m0 = Vector256.LessThan(lanes, Vector256.Create(n - j)).AsSingle();
                var m1 = Vector256.LessThan(lanes, Vector256.Create(n - j - 8)).AsSingle();
                var m2 = Vector256.LessThan(lanes, Vector256.Create(n - j - 16)).AsSingle();
                var m3 = Vector256.LessThan(lanes, Vector256.Create(n - j - 24)).AsSingle();
                var c0 = Avx.MaskLoad(ci + j, m0);
                var c1 = Avx.MaskLoad(ci + j + 8, m1);
                var c2 = Avx.MaskLoad(ci + j + 16, m2);
                var c3 = Avx.MaskLoad(ci + j + 24, m3);
                var bp = b + j;
                for (var p = 0; p < k; p++, bp += bStride)
                {
                    var s = Vector256.Create(alpha * ai[p * depthStep]);
                    c0 = Fma.MultiplyAdd(s, Avx.MaskLoad(bp, m0), c0);
                    c1 = Fma.MultiplyAdd(s, Avx.MaskLoad(bp + 8, m1), c1);
                    c2 = Fma.MultiplyAdd(s, Avx.MaskLoad(bp + 16, m2), c2);
                    c3 = Fma.MultiplyAdd(s, Avx.MaskLoad(bp + 24, m3), c3);
                }
                Avx.MaskStore(ci + j, m0, c0);
                Avx.MaskStore(ci + j + 8, m1, c1);
                Avx.MaskStore(ci + j + 16, m2, c2);
                Avx.MaskStore(ci + j + 24, m3, c3);
            }
        }
    }

    private static void PackB(bool transB, float* b, int ldb, int p0, int kc, int j0, int nc, int width, float* panel)
    {
        for (var p = 0; p < kc; p++)
        {
            var dst = panel + p * width;
            if (!transB) new ReadOnlySpan<float>(b + (long)(p0 + p) * ldb + j0, nc).CopyTo(new Span<float>(dst, nc));
            else
                for (var j = 0; j < nc; j++) dst[j] = b[(long)(j0 + j) * ldb + p0 + p];
            for (var j = nc; j < width; j++) dst[j] = 0;
        }
    }

    private static void PackGroup(float* a, long rowStep, long depthStep, int kc, float alpha, float* group)
    {
        for (var r = 0; r < 4; r++)
        for (var p = 0; p < kc; p++)
            group[p * 4 + r] = alpha * a[r * rowStep + p * depthStep];
    }

    // The last vector of a tile (of B and of C) is loaded and stored under a mask of C's columns, so the kernels have no
    // branches or calls and every accumulator stays in a register.
    private static void Tile(int vectors, float* a, long rs, long ps, float* b, int kc, int bStride, float* c, int ldc, int valid)
    {
        var last = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(valid - 8 * vectors + 8)).AsSingle();
        Kernel(vectors, a, rs, ps, b, kc, bStride, c, ldc, last);
    }

    private static void Kernel(int vectors, float* a, long rs, long ps, float* b, int kc, int bStride, float* c, int ldc, Vector256<float> last)
    {
        if (vectors == 4) Kernel4(a, rs, ps, b, kc, bStride, c, ldc, last);
        else if (vectors == 3) Kernel3(a, rs, ps, b, kc, bStride, c, ldc, last);
        else if (vectors == 2) Kernel2(a, rs, ps, b, kc, bStride, c, ldc, last);
        else Kernel1(a, rs, ps, b, kc, bStride, c, ldc, last);
    }

    private static void Kernel4(float* a, long rs, long ps, float* b, int kc, int bStride, float* c, int ldc, Vector256<float> last)
    {
        float* r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc;
        long rs2 = 2 * rs, rs3 = 3 * rs;
        var c00 = Avx.LoadVector256(r0); var c01 = Avx.LoadVector256(r0 + 8); var c02 = Avx.LoadVector256(r0 + 16); var c03 = Avx.MaskLoad(r0 + 24, last);
        var c10 = Avx.LoadVector256(r1); var c11 = Avx.LoadVector256(r1 + 8); var c12 = Avx.LoadVector256(r1 + 16); var c13 = Avx.MaskLoad(r1 + 24, last);
        var c20 = Avx.LoadVector256(r2); var c21 = Avx.LoadVector256(r2 + 8); var c22 = Avx.LoadVector256(r2 + 16); var c23 = Avx.MaskLoad(r2 + 24, last);
        var c30 = Avx.LoadVector256(r3); var c31 = Avx.LoadVector256(r3 + 8); var c32 = Avx.LoadVector256(r3 + 16); var c33 = Avx.MaskLoad(r3 + 24, last);
        for (var p = 0; p < kc; p++, a += ps, b += bStride)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var b2 = Avx.LoadVector256(b + 16);
            var b3 = Avx.MaskLoad(b + 24, last);
            var s = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(s, b0, c00); c01 = Fma.MultiplyAdd(s, b1, c01); c02 = Fma.MultiplyAdd(s, b2, c02); c03 = Fma.MultiplyAdd(s, b3, c03);
            s = Vector256.Create(a[rs]);
            c10 = Fma.MultiplyAdd(s, b0, c10); c11 = Fma.MultiplyAdd(s, b1, c11); c12 = Fma.MultiplyAdd(s, b2, c12); c13 = Fma.MultiplyAdd(s, b3, c13);
            s = Vector256.Create(a[rs2]);
            c20 = Fma.MultiplyAdd(s, b0, c20); c21 = Fma.MultiplyAdd(s, b1, c21); c22 = Fma.MultiplyAdd(s, b2, c22); c23 = Fma.MultiplyAdd(s, b3, c23);
            s = Vector256.Create(a[rs3]);
            c30 = Fma.MultiplyAdd(s, b0, c30); c31 = Fma.MultiplyAdd(s, b1, c31); c32 = Fma.MultiplyAdd(s, b2, c32); c33 = Fma.MultiplyAdd(s, b3, c33);
        }
        Avx.Store(r0, c00); Avx.Store(r0 + 8, c01); Avx.Store(r0 + 16, c02); Avx.MaskStore(r0 + 24, last, c03);
        Avx.Store(r1, c10); Avx.Store(r1 + 8, c11); Avx.Store(r1 + 16, c12); Avx.MaskStore(r1 + 24, last, c13);
        Avx.Store(r2, c20); Avx.Store(r2 + 8, c21); Avx.Store(r2 + 16, c22); Avx.MaskStore(r2 + 24, last, c23);
        Avx.Store(r3, c30); Avx.Store(r3 + 8, c31); Avx.Store(r3 + 16, c32); Avx.MaskStore(r3 + 24, last, c33);
    }

    private static void Kernel3(float* a, long rs, long ps, float* b, int kc, int bStride, float* c, int ldc, Vector256<float> last)
    {
        float* r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc;
        long rs2 = 2 * rs, rs3 = 3 * rs;
        var c00 = Avx.LoadVector256(r0); var c01 = Avx.LoadVector256(r0 + 8); var c02 = Avx.MaskLoad(r0 + 16, last);
        var c10 = Avx.LoadVector256(r1); var c11 = Avx.LoadVector256(r1 + 8); var c12 = Avx.MaskLoad(r1 + 16, last);
        var c20 = Avx.LoadVector256(r2); var c21 = Avx.LoadVector256(r2 + 8); var c22 = Avx.MaskLoad(r2 + 16, last);
        var c30 = Avx.LoadVector256(r3); var c31 = Avx.LoadVector256(r3 + 8); var c32 = Avx.MaskLoad(r3 + 16, last);
        for (var p = 0; p < kc; p++, a += ps, b += bStride)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            var b2 = Avx.MaskLoad(b + 16, last);
            var s = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(s, b0, c00); c01 = Fma.MultiplyAdd(s, b1, c01); c02 = Fma.MultiplyAdd(s, b2, c02);
            s = Vector256.Create(a[rs]);
            c10 = Fma.MultiplyAdd(s, b0, c10); c11 = Fma.MultiplyAdd(s, b1, c11); c12 = Fma.MultiplyAdd(s, b2, c12);
            s = Vector256.Create(a[rs2]);
            c20 = Fma.MultiplyAdd(s, b0, c20); c21 = Fma.MultiplyAdd(s, b1, c21); c22 = Fma.MultiplyAdd(s, b2, c22);
            s = Vector256.Create(a[rs3]);
            c30 = Fma.MultiplyAdd(s, b0, c30); c31 = Fma.MultiplyAdd(s, b1, c31); c32 = Fma.MultiplyAdd(s, b2, c32);
        }
        Avx.Store(r0, c00); Avx.Store(r0 + 8, c01); Avx.MaskStore(r0 + 16, last, c02);
        Avx.Store(r1, c10); Avx.Store(r1 + 8, c11); Avx.MaskStore(r1 + 16, last, c12);
        Avx.Store(r2, c20); Avx.Store(r2 + 8, c21); Avx.MaskStore(r2 + 16, last, c22);
        Avx.Store(r3, c30); Avx.Store(r3 + 8, c31); Avx.MaskStore(r3 + 16, last, c32);
    }

    private static void Kernel2(float* a, long rs, long ps, float* b, int kc, int bStride, float* c, int ldc, Vector256<float> last)
    {
        float* r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc;
        long rs2 = 2 * rs, rs3 = 3 * rs;
        var c00 = Avx.LoadVector256(r0); var c01 = Avx.MaskLoad(r0 + 8, last);
        var c10 = Avx.LoadVector256(r1); var c11 = Avx.MaskLoad(r1 + 8, last);
        var c20 = Avx.LoadVector256(r2); var c21 = Avx.MaskLoad(r2 + 8, last);
        var c30 = Avx.LoadVector256(r3); var c31 = Avx.MaskLoad(r3 + 8, last);
        for (var p = 0; p < kc; p++, a += ps, b += bStride)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.MaskLoad(b + 8, last);
            var s = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(s, b0, c00); c01 = Fma.MultiplyAdd(s, b1, c01);
            s = Vector256.Create(a[rs]);
            c10 = Fma.MultiplyAdd(s, b0, c10); c11 = Fma.MultiplyAdd(s, b1, c11);
            s = Vector256.Create(a[rs2]);
            c20 = Fma.MultiplyAdd(s, b0, c20); c21 = Fma.MultiplyAdd(s, b1, c21);
            s = Vector256.Create(a[rs3]);
            c30 = Fma.MultiplyAdd(s, b0, c30); c31 = Fma.MultiplyAdd(s, b1, c31);
        }
        Avx.Store(r0, c00); Avx.MaskStore(r0 + 8, last, c01);
        Avx.Store(r1, c10); Avx.MaskStore(r1 + 8, last, c11);
        Avx.Store(r2, c20); Avx.MaskStore(r2 + 8, last, c21);
        Avx.Store(r3, c30); Avx.MaskStore(r3 + 8, last, c31);
    }

    private static void Kernel1(float* a, long rs, long ps, float* b, int kc, int bStride, float* c, int ldc, Vector256<float> last)
    {
        float* r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc;
        long rs2 = 2 * rs, rs3 = 3 * rs;
        var c00 = Avx.MaskLoad(r0, last);
        var c10 = Avx.MaskLoad(r1, last);
        var c20 = Avx.MaskLoad(r2, last);
        var c30 = Avx.MaskLoad(r3, last);
        for (var p = 0; p < kc; p++, a += ps, b += bStride)
        {
            var b0 = Avx.MaskLoad(b, last);
            var s = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(s, b0, c00);
            s = Vector256.Create(a[rs]);
            c10 = Fma.MultiplyAdd(s, b0, c10);
            s = Vector256.Create(a[rs2]);
            c20 = Fma.MultiplyAdd(s, b0, c20);
            s = Vector256.Create(a[rs3]);
            c30 = Fma.MultiplyAdd(s, b0, c30);
        }
        Avx.MaskStore(r0, last, c00);
        Avx.MaskStore(r1, last, c10);
        Avx.MaskStore(r2, last, c20);
        Avx.MaskStore(r3, last, c30);
    }
}
