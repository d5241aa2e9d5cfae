using System.Runtime.CompilerServices;
namespace PLaw.Entropy.Structures;

/// <summary>
/// Suffix automaton of a growing sequence (Blumer et al.): it recognises exactly the substrings of what has been appended,
/// so "does u_i..u_j occur in u_0..u_{i−1}" is a walk from the root, without re-scanning the prefix.
/// Transitions live in one hash map keyed by (state, symbol); each state also lists its symbols for cloning.
/// </summary>
internal sealed class SuffixAutomaton
{
    private readonly LongIntMap transitions = new();
    private int[] length = new int[64];
    private int[] link = new int[64];
    private int[] firstEdge = new int[64];
    private int[] edgeSymbol = new int[128];
    private int[] nextEdge = new int[128];
    private int states;
    private int edges;
    private int last;

    public void Reset(int capacity)
    {
        EnsureStates(2 * capacity + 2);
        transitions.Reset(3 * capacity + 4);
        states = 0;
        edges = 0;
        last = NewState(0);
        link[last] = -1;
    }

    public const int Root = 0;

    public bool TryStep(int state, int symbol, out int next) => transitions.TryGetValue(LongIntMap.Pair(state, symbol), out next);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(int symbol)
    {
        var current = NewState(length[last] + 1);
        var p = last;
        var q = 0;
        // Follow suffix links while p has no edge on symbol, giving each one to current; q is the edge's target where one exists.
        while (p != -1 && transitions.TryAdd(LongIntMap.Pair(p, symbol), current, out q))
        {
            ListEdge(p, symbol);
            p = link[p];
        }
        if (p == -1)
        {
            link[current] = Root;
        }
        else if (length[p] + 1 == length[q])
        {
            link[current] = q;
        }
        else
        {
            var clone = NewState(length[p] + 1);
            for (var e = firstEdge[q]; e != -1; e = nextEdge[e])
            {
                transitions.TryGetValue(LongIntMap.Pair(q, edgeSymbol[e]), out var target);
                AddEdge(clone, edgeSymbol[e], target);
            }
            link[clone] = link[q];
            while (p != -1 && transitions.TryGetValue(LongIntMap.Pair(p, symbol), out var t) && t == q)
            {
                transitions.Set(LongIntMap.Pair(p, symbol), clone);
                p = link[p];
            }
            link[q] = clone;
            link[current] = clone;
        }
        last = current;
    }

    private int NewState(int stateLength)
    {
        EnsureStates(states + 1);
        length[states] = stateLength;
        firstEdge[states] = -1;
        return states++;
    }

    private void AddEdge(int from, int symbol, int to)
    {
        ListEdge(from, symbol);
        transitions.Set(LongIntMap.Pair(from, symbol), to);
    }

    /// <summary>Records that <paramref name="from"/> has an edge on <paramref name="symbol"/>, for cloning.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ListEdge(int from, int symbol)
    {
        if (edges == edgeSymbol.Length)
        {
            Array.Resize(ref edgeSymbol, edges * 2);
            Array.Resize(ref nextEdge, edges * 2);
        }
        edgeSymbol[edges] = symbol;
        nextEdge[edges] = firstEdge[from];
        firstEdge[from] = edges++;
    }

    private void EnsureStates(int count)
    {
        if (count <= length.Length) return;
        var size = Math.Max(count, length.Length * 2);
        Array.Resize(ref length, size);
        Array.Resize(ref link, size);
        Array.Resize(ref firstEdge, size);
    }
}
