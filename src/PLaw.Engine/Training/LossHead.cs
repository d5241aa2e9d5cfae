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
        switch (options.Loss)
        {
            case LossKind.Bce: _bce = new BceLoss<T>(graph, items); break;
            case LossKind.SampledSoftmax: _sampled = new SampledSoftmaxLoss<T>(graph, items, options.Temperature); break;
            default: _full = new FullSoftmaxLoss<T>(graph, items); break;
        }
    }

    /// <summary>Negatives drawn per position for this loss.</summary>
    public static int NegativesFor(RunOptions o) => o.Loss switch { LossKind.Bce => 1, LossKind.SampledSoftmax => o.Negatives, _ => 0 };

    /// <summary>BCE excludes the user's history from negatives (pmixer); sampled softmax draws from the whole catalogue (GR).</summary>
    public static bool ExcludesHistory(RunOptions o) => o.Loss == LossKind.Bce;

    public double Forward(Var<T> h, SequenceBatch batch, double scale) => _o.Loss switch
    {
        LossKind.Bce => _bce!.Forward(h, batch.Targets, batch.Negatives, 0, scale),
        LossKind.SampledSoftmax => _sampled!.Forward(h, batch.Targets, batch.Negatives, batch.NegativesPerPosition, scale),
        _ => _full!.Forward(h, batch.Targets, scale),
    };
}
