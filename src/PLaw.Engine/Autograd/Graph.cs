using System.Numerics;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Autograd;

/// <summary>
/// One worker's view of a training step: the shared parameter values, this worker's gradient array, its activation
/// arena, its tape and its random stream. Ops take a graph, allocate outputs in its arena and record themselves on
/// its tape when <see cref="Training"/> is set.
/// </summary>
public sealed class Graph<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Graph(ParameterStore<T> parameters)
    {
        Parameters = parameters;
        Grads = new T[parameters.Values.Length];
    }

    public ParameterStore<T> Parameters { get; }

    /// <summary>This worker's parameter gradients, same layout as <see cref="ParameterStore{T}.Values"/>.</summary>
    public T[] Grads { get; }

    /// <summary>Values the forward pass reads for matrices: the master weights, or their bf16-rounded copy.</summary>
    public T[]? ComputeWeights { get; set; }

    public Arena<T> Arena { get; } = new();
    public Tape Tape { get; } = new();
    public Rng Rng { get; } = new(0);

    /// <summary>Training: record ops, apply dropout, keep activation gradients.</summary>
    public bool Training { get; set; }

    /// <summary>
    /// Whoever reads this graph's hidden states can take packed rows (the loss head sets it; scorers find each window's
    /// last row with <c>SequenceBatch.LastRow</c>): models whose layout gives pads no part then return only the rows of
    /// real positions, in the order of the batch's <c>SequenceBatch.Packed</c> (LLaMA and HSTU P-Law while training only
    /// without dropout). Off, every model returns all [B·L] rows.
    /// </summary>
    public bool PackedHidden { get; set; }

    /// <summary>Round stored activations to bfloat16 (emulated bf16 training).</summary>
    public bool Bf16 { get; set; }

    /// <summary>A parameter as a variable: values from the (possibly bf16) weights, gradient in this worker's array.</summary>
    public Var<T> Param(ParameterSlot slot) =>
        new(ComputeWeights ?? Parameters.Values, Training ? Grads : null, slot.Offset, slot.Rows, slot.Cols);

    /// <summary>A parameter's fp32 master values (embedding lookups and scoring read these).</summary>
    public Var<T> MasterParam(ParameterSlot slot) =>
        new(Parameters.Values, Training ? Grads : null, slot.Offset, slot.Rows, slot.Cols);

    public Var<T> Alloc(int rows, int cols) => Arena.Alloc(rows, cols, Training);

    /// <summary>Records an op (training only) and rounds its output to bf16 when emulating.</summary>
    public void Record(IOp op, Var<T> output)
    {
        if (Bf16) Bf16Round(output);
        if (Training) Tape.Record(op);
        if (Profile is not null) Attribute("fwd " + op.GetType().Name, op);
    }

    /// <summary>When set, forward time between recorded ops is attributed to the op that was recorded (ticks).</summary>
    public Dictionary<string, long>? Profile { get; set; }
    private long _mark;

    /// <summary>With <see cref="Profile"/>: the arithmetic of the attributed ops that count it (<see cref="IFlopCount"/>).</summary>
    public Dictionary<string, long>? ProfileFlops { get; set; }

    /// <summary>Attributes the time since the last mark to <paramref name="name"/>, and <paramref name="op"/>'s forward
    /// arithmetic when it counts it.</summary>
    public void Attribute(string name, IOp? op = null)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (Profile is not null) Profile[name] = Profile.GetValueOrDefault(name) + (now - _mark);
        if (ProfileFlops is not null && op is IFlopCount count) ProfileFlops[name] = ProfileFlops.GetValueOrDefault(name) + count.ForwardFlops;
        _mark = now;
    }

    public void Mark() => _mark = System.Diagnostics.Stopwatch.GetTimestamp();

    private static void Bf16Round(Var<T> v) => Tensors.Bf16.RoundInPlace(v.Value);

    /// <summary>Starts a step: rewinds the arena and the tape.</summary>
    public void Begin(bool training)
    {
        Training = training;
        Arena.Reset();
        Tape.Clear();
    }
}

public static class GraphExtensions
{
    public static Var<T> Zeros<T>(this Graph<T> graph, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T> =>
        graph.Arena.Zeros(rows, cols, graph.Training);
}
