using System.Globalization;

namespace PLaw.Engine.Training;

/// <summary>
/// What a run holds in memory at its peak, in bytes, from the options and the item count alone (nothing is allocated):
/// <list type="bullet">
/// <item><b>Model</b>: the parameters P, one gradient array per worker thread, the optimiser's m, v and decay mask (3P),
/// the bf16 copy of the weights (P, bf16 only) and the checkpoint's copies of weights, m and v (3P), all float32.</item>
/// <item><b>Activations</b>: each worker's arena for its share of the batch, ⌈B/threads⌉·L rows: per block the block's
/// outputs (<see cref="BlockWidth"/> floats a row) and the attention probabilities and dropout mask (2·H·L a row), the
/// embeddings and final norm, the loss's buffers (K+1 logits a row for sampled softmax, 32 rows of the catalogue for full
/// softmax); every arena value has a gradient twin, and the arena grows in chunks (×1.25). Plus the batch's negative ids.</item>
/// <item><b>Evaluation</b>: per worker the candidate scores, the full-ranking block and coverage flags. Its forward pass
/// (128 users at a time) runs in the training arena, which is therefore sized for the larger of the two.</item>
/// </list>
/// Sized as an upper bound of what <see cref="TrainingSession"/> allocates (a test measures both); the data set itself is
/// already loaded when this is asked and is not counted.
/// </summary>
public readonly record struct MemoryEstimate(double Model, double Activations, double Evaluation)
{
    /// <summary>Users scored per evaluation forward pass (the evaluator's batch).</summary>
    private const int EvalBatch = 128;

    /// <summary>Rows of the catalogue the full-softmax loss scores at once.</summary>
    private const int FullSoftmaxChunk = 32;

    /// <summary>The largest number of elements one .NET array may hold.</summary>
    public static readonly long MaxArrayLength = Array.MaxLength;

    public double Total => Model + Activations + Evaluation;

    /// <summary>Float32 values the model's parameters take (P).</summary>
    public double Parameters { get; init; }

    /// <summary>The largest single buffer (in elements) the run would allocate, and what it is.</summary>
    public (double Elements, string What, string Culprit) LargestBuffer { get; init; }

    public static MemoryEstimate Of(RunOptions o, int itemCount)
    {
        ArgumentNullException.ThrowIfNull(o);
        // Ranking: the backbone's run over interleaved items and actions, a window of 2L tokens and I + 2 ids (the head is d + 1).
        if (o.Task == RunTask.Ranking) return Of(o with { Task = RunTask.Retrieval, MaxLength = 2 * o.MaxLength }, itemCount + 2);
        double p = ParameterCount.Of(o, itemCount).Total;
        double threads = Math.Max(o.Threads, 1), d = o.Dim, l = o.MaxLength, h = o.Heads, layers = o.Layers, items = itemCount + 1.0;
        const double Float = 4, Int = 4;

        var model = Float * p * (1 + threads + 3 + (o.Precision == Precision.Bf16 ? 1 : 0) + 3);

        var sequencesPerWorker = Math.Ceiling(o.BatchSize / threads);
        var rows = sequencesPerWorker * l;
        var attention = 2 * h * l;
        var perRow = layers * (BlockWidth(o) + attention) + 6 * d;
        var negatives = o.Loss switch { LossKind.Bce => 1, LossKind.SampledSoftmax => o.Negatives, _ => 0 };
        var loss = o.Loss switch
        {
            LossKind.Bce => rows * 2,
            LossKind.SampledSoftmax => rows * (negatives + 1.0),
            _ => FullSoftmaxChunk * items,
        };
        var trainArena = rows * perRow + loss + 2 * l * l;
        var evalArena = EvalBatch * l * perRow + 2 * l * l;
        const double TwinAndChunks = 2 * 1.25;
        var arena = Math.Max(trainArena, evalArena);
        var activations = threads * (Float * TwinAndChunks * arena + Int * rows * (negatives + 3));

        var candidates = o.Eval switch { EvalProtocol.Sampled100 => 101, EvalProtocol.Sampled2500 => 2500, _ => items };
        var block = PLaw.Engine.Evaluation.Evaluator.FullBlockUsers(itemCount + 1);
        var evaluation = threads * (Float * (Math.Max(candidates, block * d) + 1) + 1 * items
                                    + (o.Eval == EvalProtocol.Full ? Float * block * items : 0));

        var buffers = new (double Elements, string What, string Culprit)[]
        {
            (p, "the parameters", $"Dim {o.Dim} with Layers {o.Layers}"),
            (sequencesPerWorker * h * l * l, "one block's attention probabilities", $"MaxLength {o.MaxLength} with BatchSize {o.BatchSize}"),
            (rows * Math.Max(negatives, 1), "the batch's negative ids", $"Sampled softmax negatives {o.Negatives} with BatchSize {o.BatchSize}"),
            (rows * (negatives + 1.0), "the sampled-softmax logits", $"Sampled softmax negatives {o.Negatives} with BatchSize {o.BatchSize}"),
            (FullSoftmaxChunk * items, "the full-softmax scores", "Loss FullSoftmax on this catalogue"),
        };
        return new MemoryEstimate(model, activations, evaluation) { Parameters = p, LargestBuffer = buffers.MaxBy(b => b.Elements) };
    }

    /// <summary>Floats one block stores per row for its outputs, with a margin over what MemoryEstimateTests measures
    /// (LLaMA's SwiGLU adds four hidden-width tensors).</summary>
    private static double BlockWidth(RunOptions o) => o.Model == ModelFamily.Llama
        ? 24.0 * o.Dim + 4.0 * ParameterCount.SwiGluHidden(o.Dim)
        : 24.0 * o.Dim;

    /// <summary>The memory this process may use: the machine's (or container's) limit as the GC sees it.</summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Null when a run of <paramref name="o"/> on <paramref name="itemCount"/> items fits in <paramref name="availableBytes"/>
    /// (default: <see cref="AvailableBytes"/>); else why not, starting with the option to lower (as <see cref="RunOptions.Validate"/>'s
    /// messages do) and saying how much the run needs. Call it only with options <see cref="RunOptions.Validate"/> accepts.
    /// </summary>
    public static string? Problem(RunOptions o, int itemCount, long? availableBytes = null)
    {
        var e = Of(o, itemCount);
        var available = availableBytes ?? AvailableBytes();
        if (e.LargestBuffer.Elements > MaxArrayLength)
            return Invariant($"{e.LargestBuffer.Culprit} is too large: {e.LargestBuffer.What} would need {e.LargestBuffer.Elements:N0} values in one array, more than the {MaxArrayLength:N0} a .NET array holds ({Describe(e)}).");
        if (e.Total <= available) return null;
        return Invariant($"{Culprit(o, e)} is too large for this machine: the run needs about {Bytes(e.Total)} of memory, {Bytes(available)} is available ({Describe(e)}).");
    }

    private static string Describe(MemoryEstimate e) => Invariant(
        $"{e.Parameters:N0} parameters with gradients, optimiser state and checkpoint copies {Bytes(e.Model)}, activations {Bytes(e.Activations)}, evaluation {Bytes(e.Evaluation)}; total {Bytes(e.Total)}");

    /// <summary>The option (and its value) that makes the largest share of the estimate, as the message's first words.</summary>
    private static string Culprit(RunOptions o, MemoryEstimate e)
    {
        double threads = Math.Max(o.Threads, 1);
        var gradients = 4 * e.Parameters * threads;
        var largest = Math.Max(e.Model, Math.Max(e.Activations, e.Evaluation));
        if (largest == e.Model)
            return gradients > e.Model / 2 && o.Threads > 1 ? $"Threads {o.Threads}" : $"Dim {o.Dim} with Layers {o.Layers}";
        if (largest == e.Evaluation) return $"Eval {o.Eval} on this catalogue";
        var attention = 2.0 * o.Heads * o.MaxLength * o.Layers;
        var lossPerRow = o.Loss == LossKind.SampledSoftmax ? o.Negatives * 2.0 : 0;
        if (lossPerRow > attention && lossPerRow > o.Layers * BlockWidth(o))
            return $"Sampled softmax negatives {o.Negatives} with BatchSize {o.BatchSize}";
        return attention > o.Layers * BlockWidth(o)
            ? $"MaxLength {o.MaxLength} with BatchSize {o.BatchSize}"
            : $"BatchSize {o.BatchSize} with MaxLength {o.MaxLength} (the activations of {o.Layers} blocks of width {o.Dim})";
    }

    /// <summary>e.g. 1.5 GB, 812 MB (powers of 1,024).</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? Invariant($"{bytes:N0} bytes") : Invariant($"{bytes:0.#} {units[unit]}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
