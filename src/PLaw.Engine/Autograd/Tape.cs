namespace PLaw.Engine.Autograd;

/// <summary>A recorded operation: its forward pass already ran and saved what <see cref="Backward"/> needs.</summary>
public interface IOp
{
    /// <summary>Adds this op's input gradients from its output gradient (accumulates, never overwrites).</summary>
    void Backward();
}

/// <summary>
/// The tape: coarse ops appended in forward order, walked in reverse. The op objects belong to the model (one per
/// layer use) and are reused every step, so recording is a list append into a preallocated list.
/// </summary>
public sealed class Tape
{
    private readonly List<IOp> _ops = new(256);

    public int Count => _ops.Count;

    public void Record(IOp op) => _ops.Add(op);

    /// <summary>The op recorded last (the loss, after a forward pass), or null on an empty tape.</summary>
    public IOp? Last => _ops.Count > 0 ? _ops[^1] : null;

    public void Clear() => _ops.Clear();

    public void Backward()
    {
        for (var i = _ops.Count - 1; i >= 0; i--) _ops[i].Backward();
    }

    /// <summary>Backward with the time of each op type accumulated into <paramref name="ticks"/> and, for ops that count
    /// it, their arithmetic into <paramref name="flops"/> (for the profile).</summary>
    public void Backward(Dictionary<string, long> ticks, Dictionary<string, long>? flops = null)
    {
        for (var i = _ops.Count - 1; i >= 0; i--)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            _ops[i].Backward();
            var name = "bwd " + _ops[i].GetType().Name;
            var t = System.Diagnostics.Stopwatch.GetTimestamp() - start;
            ticks[name] = ticks.GetValueOrDefault(name) + t;
            if (flops is not null && _ops[i] is IFlopCount count) flops[name] = flops.GetValueOrDefault(name) + count.BackwardFlops;
        }
    }
}
