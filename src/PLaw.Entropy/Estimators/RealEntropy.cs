using System.Runtime.CompilerServices;
using PLaw.Entropy.Structures;

namespace PLaw.Entropy;

/// <summary>
/// Real entropy, the Lempel–Ziv estimate (Kontoyiannis et al. 1998; Song et al. 2010): Λ_i is the length of the shortest
/// substring starting at i that has not been "seen", and S = ln(n) / mean_i Λ_i = n·ln(n) / Σ_i Λ_i (0 when n = 0).
/// When every substring starting at i up to the end has been seen, Λ_i = (n − i) + 1 in both variants.
/// </summary>
public static class RealEntropy
{
    /// <summary>Textbook: "seen" means it occurs somewhere in u_0..u_{i−1}. A suffix automaton of the prefix answers that by walking.</summary>
    public static double Textbook(ReadOnlySpan<int> sequence) => Textbook(sequence, EntropyWorkspace.Current);

    /// <summary>
    /// As P-Law's released code computes it: "seen" means recorded in a set that starts empty; at each i the shortest
    /// unrecorded prefix of u_i.. is recorded. The set is prefix-closed, so it is a trie walked from the root.
    /// </summary>
    public static double Reference(ReadOnlySpan<int> sequence) => Reference(sequence, EntropyWorkspace.Current);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Textbook(ReadOnlySpan<int> u, EntropyWorkspace w)
    {
        var n = u.Length;
        if (n == 0) return 0;
        var automaton = w.Automaton;
        automaton.Reset(n);
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            var state = SuffixAutomaton.Root;
            var j = i;
            while (j < n && automaton.TryStep(state, u[j], out state)) j++;
            sum += j == n ? n - i + 1 : j - i + 1;
            automaton.Append(u[i]);
        }
        return Estimate(n, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Reference(ReadOnlySpan<int> u, EntropyWorkspace w)
    {
        var n = u.Length;
        if (n == 0) return 0;
        var trie = w.Map; // (node, item) -> child; node 0 is the empty string
        trie.Reset(n + 1);
        var nodes = 1;
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            var node = 0;
            var j = i;
            var recorded = false;
            for (; j < n; j++)
            {
                var child = trie.GetOrAdd(LongIntMap.Pair(node, u[j]), nodes, out var added);
                if (added)
                {
                    nodes++;
                    recorded = true;
                    break;
                }
                node = child;
            }
            sum += recorded ? j - i + 1 : n - i + 1;
        }
        return Estimate(n, sum);
    }

    private static double Estimate(int n, long sumOfLambda) => n * Math.Log(n) / sumOfLambda;
}
