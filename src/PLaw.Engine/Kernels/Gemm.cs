using System.Numerics;
using System.Runtime.InteropServices;

namespace PLaw.Engine.Kernels;

public enum GemmBackend { OpenBlas, Managed }

/// <summary>
/// Matrix multiply for the engine: OpenBLAS when it loads, else <see cref="ManagedGemm"/>. Set the environment
/// variable <c>PLAW_GEMM=managed</c> (or <see cref="Backend"/>) to force the managed path.
/// </summary>
public static class Gemm
{
    public static GemmBackend Backend { get; set; } =
        OpenBlas.IsAvailable && !string.Equals(Environment.GetEnvironmentVariable("PLAW_GEMM"), "managed", StringComparison.OrdinalIgnoreCase)
            ? GemmBackend.OpenBlas
            : GemmBackend.Managed;

    public static string BackendName => Backend == GemmBackend.OpenBlas ? "openblas" : "managed";

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
        if ((_thisThread ?? Backend) == GemmBackend.OpenBlas)
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
