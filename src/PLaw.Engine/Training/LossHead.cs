using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;

namespace PLaw.Engine.Training;

/// <summary>The training objective on top of a model's hidden states (models.md §6); one per worker.</summary>
public sealed class LossHead<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RunOptions _o;
    private readonly BceLoss<T>? _bce;
    private readonly SampledSoftmaxLoss<T>? _sampled;
    private readonly FullSoftmaxLoss<T>? _full;

    public LossHead(RunOptions options, Graph<T> graph, ParameterSlot items)
    {
        _o = options;
        graph.PackedHidden = PackByDefault;
        switch (options.Loss)
        {
            case LossKind.Bce: _bce = new BceLoss<T>(graph, items); break;
            case LossKind.SampledSoftmax: _sampled = new SampledSoftmaxLoss<T>(graph, items, options.Temperature); break;
            default: _full = new FullSoftmaxLoss<T>(graph, items); break;
        }
    }

    /// <summary>
    /// Whether new heads let their graph's model return packed rows (<see cref="Graph{T}.PackedHidden"/>): on, unless
    /// the environment sets <c>PLAW_PACKING=off</c>. Packing changes no result; the switch is for benchmarks and
    /// diagnosis (the engine bench sets it to time both layouts in one process).
    /// </summary>
    public static bool PackByDefault { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("PLAW_PACKING"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>Negatives drawn per position for this loss.</summary>
    public static int NegativesFor(RunOptions o) => o.Loss switch { LossKind.Bce => 1, LossKind.SampledSoftmax => o.Negatives, _ => 0 };

    /// <summary>BCE excludes the user's history from negatives (pmixer); sampled softmax draws from the whole catalogue (GR).</summary>
    public static bool ExcludesHistory(RunOptions o) => o.Loss == LossKind.Bce;

    /// <summary>The loss of hidden states <paramref name="h"/>: all [B·L] rows of the batch, or its packed rows
    /// (<see cref="SequenceBatch.Packed"/>), whose targets and negatives are the packed ones.</summary>
    public double Forward(Var<T> h, SequenceBatch batch, double scale)
    {
        var packed = batch.Packed is not null;
        var rows = batch.Packed?.Rows ?? batch.Rows;
        if (h.Rows != rows)
            throw new ArgumentException($"Loss: {h.Rows} hidden rows, but the batch has {rows} {(packed ? "packed" : "padded")} rows.");
        var (targets, negatives) = packed ? (batch.PackedTargets, batch.PackedNegatives) : (batch.Targets, batch.Negatives);
        return _o.Loss switch
        {
            LossKind.Bce => _bce!.Forward(h, targets, negatives, 0, scale),
            LossKind.SampledSoftmax => _sampled!.Forward(h, targets, negatives, batch.NegativesPerPosition, scale),
            _ => _full!.Forward(h, targets, scale),
        };
    }
}
