using PLaw.Engine.Tensors;

namespace PLaw.Engine.Challenges;

public enum PerturbationKind
{
    /// <summary>Each item is dropped with probability p.</summary>
    Remove,

    /// <summary>Each item is replaced, with probability p, by an item drawn uniformly from 1..I (it may draw the item itself).</summary>
    Replace,
}

/// <summary>
/// LSRM §V robustness noise on an input sequence. Per item, oldest first: one uniform draw u; the item is hit when u &lt; p;
/// a replacement then draws its item (a second draw). A removal that would empty the input keeps its newest item, so
/// every user still has an input. Timestamps follow their items (a replacement keeps the replaced item's time).
/// </summary>
public static class InputPerturbation
{
    /// <summary>Writes the perturbed <paramref name="items"/> (and times, when given) to the outputs; returns their length.</summary>
    public static int Apply(PerturbationKind kind, double p, ReadOnlySpan<int> items, ReadOnlySpan<long> times, int itemCount, Rng rng,
        Span<int> outItems, Span<long> outTimes)
    {
        var withTimes = !times.IsEmpty;
        var n = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var hit = rng.NextDouble() < p;
            if (hit && kind == PerturbationKind.Remove) continue;
            outItems[n] = hit ? rng.NextInt(itemCount) + 1 : items[i];
            if (withTimes) outTimes[n] = times[i];
            n++;
        }
        if (n == 0 && items.Length > 0)
        {
            outItems[0] = items[^1];
            if (withTimes) outTimes[0] = times[^1];
            n = 1;
        }
        return n;
    }
}
