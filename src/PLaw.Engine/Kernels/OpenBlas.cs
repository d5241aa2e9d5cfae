using System.Runtime.InteropServices;

namespace PLaw.Engine.Kernels;

/// <summary>
/// <c>cblas_sgemm</c> / <c>cblas_dgemm</c> of OpenBLAS (Debian's libopenblas0-pthread), resolved at run time with
/// <see cref="NativeLibrary"/>. <see cref="IsAvailable"/> is false when the library cannot be loaded; callers then
/// use <see cref="ManagedGemm"/>.
/// </summary>
public static unsafe class OpenBlas
{
    public const string LibraryName = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemm;
    private static readonly delegate* unmanaged<int, void> SetThreads;

    static OpenBlas()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var handle)) return;
        if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var s) || !NativeLibrary.TryGetExport(handle, "cblas_dgemm", out var d))
            return;
        Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)s;
        Dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)d;
        if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var t))
        {
            SetThreads = (delegate* unmanaged<int, void>)t;
            // The engine parallelises across the batch; nested OpenBLAS threads would fight it on two cores.
            SetThreads(1);
        }
        IsAvailable = true;
    }

    public static bool IsAvailable { get; }

    public static void SetThreadCount(int n)
    {
        if (SetThreads != null) SetThreads(n);
    }

    /// <summary>C[m,n] = α·op(A)·op(B) + β·C, row-major.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (!IsAvailable) throw new InvalidOperationException($"{LibraryName} is not loaded.");
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
            Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        if (!IsAvailable) throw new InvalidOperationException($"{LibraryName} is not loaded.");
        if (m == 0 || n == 0) return;
        fixed (double* pa = a, pb = b, pc = c)
            Dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
