using System.Numerics;
using PLaw.Engine.Autograd;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;

namespace PLaw.Engine.Models;

/// <summary>
/// What the native trainer needs from a model (the torch backend's counterpart is PLaw.Engine.Torch's TorchSequenceModel,
/// over the same layout): register parameters,
/// initialise them, map a batch of windows to hidden states [B·L, d] on a graph. Scoring is h·E_i with the item
/// table <see cref="ItemEmbedding"/> (input and output embeddings are one tensor everywhere).
/// </summary>
public interface ISequenceModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    RunOptions Options { get; }
    int ItemCount { get; }
    ParameterLayout Layout { get; }
    ParameterSlot ItemEmbedding { get; }

    /// <summary>Writes the family's initial values (models.md §2–§4) into <paramref name="values"/>.</summary>
    void Initialize(Span<T> values, Rng rng);

    /// <summary>Creates the model's ops on a worker's graph; call once per worker before <see cref="Forward"/>.</summary>
    void Attach(Graph<T> graph);

    /// <summary>Hidden states [B·L, d] of every position; records on the tape when the graph is training.</summary>
    Var<T> Forward(SequenceBatch batch);
}

public static class ModelFactory
{
    public static ISequenceModel<T> Create<T>(RunOptions options, int itemCount) where T : unmanaged, IFloatingPointIeee754<T> =>
        options.Model switch
        {
            ModelFamily.Sasrec => new Sasrec<T>(options, itemCount),
            ModelFamily.Hstu when options.ResolvedVariant == Variants.Reference => new HstuReference<T>(options, itemCount),
            ModelFamily.Hstu => new HstuPLaw<T>(options, itemCount),
            _ => new Llama<T>(options, itemCount),
        };
}

/// <summary>Initialisers (torch semantics).</summary>
public static class Init
{
    public static void Normal<T>(Span<T> values, double std, Rng rng) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++) values[i] = T.CreateTruncating(std * rng.NextGaussian());
    }

    /// <summary>torch.nn.init.xavier_normal_ on a [rows, cols] tensor: σ = √(2/(fan_in + fan_out)), fan_in = cols, fan_out = rows.</summary>
    public static void XavierNormal<T>(Span<T> values, int rows, int cols, Rng rng) where T : IFloatingPointIeee754<T> =>
        Normal(values, Math.Sqrt(2.0 / (rows + cols)), rng);

    /// <summary>xavier_uniform_: U(±√(6/(fan_in + fan_out))).</summary>
    public static void XavierUniform<T>(Span<T> values, int rows, int cols, Rng rng) where T : IFloatingPointIeee754<T> =>
        Uniform(values, Math.Sqrt(6.0 / (rows + cols)), rng);

    public static void Uniform<T>(Span<T> values, double bound, Rng rng) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++) values[i] = T.CreateTruncating((2 * rng.NextDouble() - 1) * bound);
    }

    /// <summary>Truncated normal: redraw beyond ±2σ.</summary>
    public static void TruncatedNormal<T>(Span<T> values, double std, Rng rng) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            double z;
            do z = rng.NextGaussian(); while (Math.Abs(z) > 2);
            values[i] = T.CreateTruncating(std * z);
        }
    }

    public static void Fill<T>(Span<T> values, double value) where T : IFloatingPointIeee754<T> => values.Fill(T.CreateTruncating(value));
}
