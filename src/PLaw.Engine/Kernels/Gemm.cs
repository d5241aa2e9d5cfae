using System.Numerics;
using System.Runtime.InteropServices;

namespace PLaw.Engine.Kernels;

public enum GemmBackend { OpenBlas, Managed }

/// <summary>
/// Matrix multiply for the engine. Floats run on the managed GEMM wherever AVX2 + FMA are (<see cref="OrderedSgemm"/>: as
/// fast as OpenBLAS on the engine's shapes, and each result independent of the batch layout, so packed and padded batches
/// train to the same bit); elsewhere on OpenBLAS when it loads. Doubles (float64 checks) use OpenBLAS when it loads.
/// <c>PLAW_GEMM=openblas</c> or <c>PLAW_GEMM=managed</c> (or <see cref="Backend"/>) picks one for floats; managed then
/// covers doubles too.
/// </summary>
public static class Gemm
{
    private static readonly string? Requested = Environment.GetEnvironmentVariable("PLAW_GEMM")?.Trim().ToLowerInvariant();
    private static readonly bool DoublesOnOpenBlas = OpenBlas.IsAvailable && Requested != "managed";

    /// <summary>The float GEMM.</summary>
    public static GemmBackend Backend { get; set; } = Requested switch
    {
        "managed" => GemmBackend.Managed,
        "openblas" when OpenBlas.IsAvailable => GemmBackend.OpenBlas,
        _ => OrderedFloatKernels || !OpenBlas.IsAvailable ? GemmBackend.Managed : GemmBackend.OpenBlas,
    };

    public static string BackendName => Backend == GemmBackend.OpenBlas ? "openblas" : "managed";

    /// <summary>Whether this machine runs the managed float GEMM's AVX2 + FMA kernels.</summary>
    public static bool OrderedFloatKernels => OrderedSgemm.IsSupported;

    /// <summary>Why floats run on <see cref="Backend"/>, for <c>plaw doctor</c>.</summary>
    public static string BackendReason => (Backend, Requested) switch
    {
        (GemmBackend.OpenBlas, "openblas") => "PLAW_GEMM=openblas asks for it",
        (GemmBackend.OpenBlas, _) => OrderedFloatKernels ? "set in code" : "this processor lacks AVX2 + FMA for the C# kernels",
        (_, "managed") => "PLAW_GEMM=managed asks for the C# kernels",
        _ when OrderedFloatKernels => "C# AVX2 + FMA kernels, as fast as OpenBLAS on the engine's shapes and the same to the bit " +
                                      "whatever the batch layout (PLAW_GEMM=openblas for OpenBLAS)",
        _ when OpenBlas.IsAvailable => "set in code",
        _ => $"{OpenBlas.LibraryName} did not load (Debian/Ubuntu: apt-get install libopenblas0-pthread); the C# kernels are slower " +
             "without AVX2 + FMA",
    };

    [ThreadStatic] private static GemmBackend? _thisThread;

    /// <summary>Runs this thread's products on <paramref name="backend"/> until disposed, whatever <see cref="Backend"/>
    /// says for the others (a single-threaded comparison of the two).</summary>
    public static IDisposable OnThisThread(GemmBackend backend)
    {
        var previous = _thisThread;
        _thisThread = backend;
        return new Restore(previous);
    }

    private sealed class Restore(GemmBackend? previous) : IDisposable
    {
        public void Dispose() => _thisThread = previous;
    }

    /// <summary>C[m,n] = α·op(A)·op(B) + β·C, row-major; op transposes when the flag is set.</summary>
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var backend = _thisThread ?? (typeof(T) == typeof(double) && DoublesOnOpenBlas ? GemmBackend.OpenBlas : Backend);
        if (backend == GemmBackend.OpenBlas)
        {
            if (typeof(T) == typeof(float))
            {
                OpenBlas.Gemm(transA, transB, m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), lda,
                    MemoryMarshal.Cast<T, float>(b), ldb, float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
                return;
            }
            if (typeof(T) == typeof(double))
            {
                OpenBlas.Gemm(transA, transB, m, n, k, double.CreateTruncating(alpha), MemoryMarshal.Cast<T, double>(a), lda,
                    MemoryMarshal.Cast<T, double>(b), ldb, double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), ldc);
                return;
            }
        }
        ManagedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
