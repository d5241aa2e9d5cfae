using PLaw.Engine.Tensors;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Export;

/// <summary>
/// A model's weights as a PyTorch state_dict file (what <c>torch.save(model.state_dict(), path)</c> writes, read back with
/// <c>torch.load</c>): one float32 tensor per native parameter, keyed by its native name (the names already follow
/// PyTorch's), in layout order. [1, d] rows (biases, norm scales) become [d] vectors, as PyTorch stores them; matrices keep
/// the native [Rows, Cols] (a Linear's weight is [out, in] in both).
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>The shape PyTorch sees for <paramref name="slot"/>.</summary>
    public static long[] ShapeOf(ParameterSlot slot) => slot.Rows == 1 ? [slot.Cols] : [slot.Rows, slot.Cols];

    public static void Write(Stream stream, ParameterLayout layout, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != layout.Length)
            throw new ArgumentException($"{weights.Length:N0} weights for a layout of {layout.Length:N0} parameters.", nameof(weights));
        // Ordered: torch.load gives the keys back in this order, the layout's (and a module's registration order).
        var state = new OrderedDictionary<string, Tensor>(layout.Slots.Count);
        try
        {
            foreach (var slot in layout.Slots)
                state.Add(slot.Name, tensor(weights.AsSpan(slot.Offset, slot.Length).ToArray(), ShapeOf(slot), ScalarType.Float32));
            PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
