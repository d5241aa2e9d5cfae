using PLaw.Engine.Models;
using PLaw.Engine.Tensors;
using PLaw.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// A model family on libtorch. Its parameters are one flat leaf tensor laid out exactly as the native engine's
/// <see cref="ParameterLayout"/> (same names, order, shapes and offsets; biases and norms are [1, d] rows), so weights,
/// gradients, optimiser moments and checkpoints move between the two backends as plain arrays, and the native
/// initialisers initialise both. Subclasses build the forward pass from <see cref="P"/> views; autograd does the backward.
/// </summary>
public abstract class TorchSequenceModel : IDisposable
{
    private readonly Dictionary<string, ParameterSlot> _slots;

    protected TorchSequenceModel(RunOptions options, int itemCount, Device device, ScalarType dtype)
    {
        Options = options;
        ItemCount = itemCount;
        Device = device;
        DType = dtype;
        // The native model defines the layout; building it allocates no weights.
        Layout = ModelFactory.Create<double>(options, itemCount).Layout;
        _slots = Layout.Slots.ToDictionary(s => s.Name);
        Flat = zeros(Layout.Length, dtype, device).requires_grad_(true);
    }

    public RunOptions Options { get; }
    public int ItemCount { get; }
    public Device Device { get; }
    public ScalarType DType { get; }
    public ParameterLayout Layout { get; }

    /// <summary>Every parameter, flat, in layout order; its <c>grad</c> is the gradient array.</summary>
    public Tensor Flat { get; }

    public ParameterSlot Slot(string name) => _slots.TryGetValue(name, out var s)
        ? s
        : throw new KeyNotFoundException($"{Options.DisplayName} has no parameter '{name}'.");

    /// <summary>The named parameter as a [Rows, Cols] view of <see cref="Flat"/> (gradients flow into Flat.grad).</summary>
    public Tensor P(string name)
    {
        var s = Slot(name);
        return Flat.narrow(0, s.Offset, s.Length).view(s.Rows, s.Cols);
    }

    /// <summary>The item table [items + 1, d]; scores are h · E_iᵀ (input and output embeddings are one tensor).</summary>
    public Tensor ItemEmbedding() => P("item_emb");

    /// <summary>Hidden states [B·L, d] of every position, as the native <see cref="ISequenceModel{T}.Forward"/>.</summary>
    public abstract Tensor Forward(TorchBatch batch, bool training);

    /// <summary>The native family's initial weights (models.md §2–§4), drawn by the native initialiser.</summary>
    public void Initialize(Rng rng)
    {
        var values = new double[Layout.Length];
        ModelFactory.Create<double>(Options, ItemCount).Initialize(values, rng);
        Load(values);
    }

    public void Load(ReadOnlySpan<double> values)
    {
        using var _ = no_grad();
        using var source = tensor(values.ToArray(), dtype: DType, device: Device);
        Flat.copy_(source);
    }

    public void Load(ReadOnlySpan<float> values)
    {
        using var _ = no_grad();
        using var source = tensor(values.ToArray(), dtype: DType, device: Device);
        Flat.copy_(source);
    }

    public double[] ValuesAsDouble()
    {
        using var cpu = Flat.detach().to(ScalarType.Float64, CPU);
        return cpu.data<double>().ToArray();
    }

    public float[] ValuesAsSingle()
    {
        using var cpu = Flat.detach().to(ScalarType.Float32, CPU);
        return cpu.data<float>().ToArray();
    }

    public virtual void Dispose()
    {
        Flat.Dispose();
        GC.SuppressFinalize(this);
    }
}
