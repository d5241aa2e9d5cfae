using System.Reflection;
using System.Runtime.CompilerServices;

namespace PLaw.Data.Runtime;

/// <summary>
/// Compiles hot methods before their first call. Methods marked AggressiveOptimization have no ReadyToRun code and are
/// compiled, fully optimised, when first called: in a one-off command that is on the critical path (about 45 ms of
/// <c>plaw entropy</c>'s start, bench/results/entropy-compile-ahead-2026-12-01.md). Compiling them on a thread-pool thread
/// while the main thread builds the command line and reads the file moves that work to the core that is idle then.
/// </summary>
public static class CompileAhead
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The AggressiveOptimization methods of <paramref name="types"/> (none on open generic types).</summary>
    public static IEnumerable<MethodInfo> HotMethods(IEnumerable<Type> types) =>
        from type in types
        where !type.ContainsGenericParameters
        from method in type.GetMethods(Declared)
        where (method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0 && !method.ContainsGenericParameters
        select method;

    /// <summary>Compiles the hot methods of <paramref name="types"/> now, on this thread.</summary>
    public static void Methods(IEnumerable<Type> types)
    {
        foreach (var method in HotMethods(types))
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
    }

    /// <summary>
    /// Compiles them on a background thread of their own and returns at once. A failure there is dropped: those methods then
    /// compile at their first call, as they would have anyway (tests call <see cref="Methods"/> directly).
    /// </summary>
    /// <remarks>Not a thread-pool thread: a command's first line starts it, before anything has started the pool, and
    /// starting the pool costs the main thread a few milliseconds.</remarks>
    public static void InBackground(IReadOnlyList<Type> types) => new Thread(() =>
    {
        try
        {
            Methods(types);
        }
        catch (Exception)
        {
            // Only an optimisation: the first call compiles the method as usual.
        }
    }) { IsBackground = true, Name = "compile-ahead" }.Start();
}
