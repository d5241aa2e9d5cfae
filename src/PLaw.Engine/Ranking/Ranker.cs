using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Kernels;
using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Ranking;

/// <summary>
/// HSTU as a ranker: the run's HSTU backbone (<see cref="ModelFactory"/>: the reference or the P-Law layout, the very code that
/// trains retrieval) over the interleaved items and actions (<see cref="Interleaving"/>: vocabulary I + 2, window 2L), then a
/// linear ranking head on every token's hidden state, z_t = w·h_t + b, the logit of the positive action (σ(z_t) is the
/// click/positive probability of the item at token t). Only item tokens with a target enter the loss.
/// The head's parameters follow the backbone's in the one flat layout. Init: w ~ N(0, 0.02), b = 0, so the first predictions
/// are ½.
/// </summary>
public sealed class Ranker<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterSlot _weight, _bias;
    private Linear<T>? _head;

    public Ranker(RunOptions options, int itemCount)
    {
        if (options.Model != ModelFamily.Hstu) throw new ArgumentException($"The ranker is HSTU's; got {options.Model}.", nameof(options));
        Options = options;
        ItemCount = itemCount;
        Window = 2 * options.MaxLength;
        Backbone = ModelFactory.Create<T>(options with { MaxLength = Window, Task = RunTask.Retrieval }, Interleaving.Vocabulary(itemCount));
        _weight = Layout.Add("rank_head.weight", 1, options.Dim);
        _bias = Layout.Add("rank_head.bias", 1, 1, decay: false);
    }

    public RunOptions Options { get; }
    public int ItemCount { get; }

    /// <summary>Tokens per window: an item and its action for each of the L newest impressions.</summary>
    public int Window { get; }

    public ISequenceModel<T> Backbone { get; }
    public ParameterLayout Layout => Backbone.Layout;

    public void Initialize(Span<T> values, Rng rng)
    {
        Backbone.Initialize(values, rng);
        Init.Normal(values.Slice(_weight.Offset, _weight.Length), 0.02, rng);
        Init.Fill(values.Slice(_bias.Offset, _bias.Length), 0);
    }

    public void Attach(Graph<T> graph)
    {
        Backbone.Attach(graph);
        _head = new Linear<T>(graph, _weight, _bias);
    }

    /// <summary>Logits [B·2L, 1] of every token of the batch's windows (only item tokens' are predictions).</summary>
    public Var<T> Forward(SequenceBatch batch)
    {
        if (_head is null) throw new InvalidOperationException("Attach the ranker to a graph first.");
        if (batch.Length != Window) throw new ArgumentException($"The ranker's windows hold {Window} tokens; the batch has {batch.Length}.", nameof(batch));
        var h = Backbone.Forward(batch);
        if (h.Rows != batch.Rows) throw new InvalidOperationException($"The backbone returned {h.Rows} rows for {batch.Rows} tokens (packed rows are not for the ranker).");
        return _head.Forward(h);
    }
}
