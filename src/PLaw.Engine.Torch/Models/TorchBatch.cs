using PLaw.Engine.Models;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// A <see cref="SequenceBatch"/> as int64 tensors on a device: inputs and targets [B, L] (0 = pad / no target),
/// negatives [B·L, n], and the input and target times [B, L] when the data has them. The batch layout is the native
/// engine's (left-padded windows, newest at L − 1), so both backends see the same rows.
/// </summary>
public sealed class TorchBatch : IDisposable
{
    /// <summary>A batch staged in arrays of its own (a one-off batch).</summary>
    public TorchBatch(SequenceBatch batch, Device device) : this(batch, device, new TorchBatchStaging()) { }

    /// <summary>A batch staged in <paramref name="staging"/>'s reused arrays (the training step's path); on the CPU it is
    /// valid until the next batch is staged there.</summary>
    public TorchBatch(SequenceBatch batch, Device device, TorchBatchStaging staging)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(staging);
        Count = batch.Count;
        Length = batch.Length;
        Inputs = staging.Inputs(batch, device);
        Targets = staging.Targets(batch, device);
        Negatives = staging.Negatives(batch, device);
        HasTimes = batch.HasTimes;
        if (HasTimes)
        {
            InputTimes = staging.InputTimes(batch, device);
            TargetTimes = staging.TargetTimes(batch, device);
        }
    }

    public int Count { get; }
    public int Length { get; }
    public int Rows => Count * Length;
    public Tensor Inputs { get; }
    public Tensor Targets { get; }
    public Tensor Negatives { get; }
    public bool HasTimes { get; }
    public Tensor? InputTimes { get; }
    public Tensor? TargetTimes { get; }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Negatives.Dispose();
        InputTimes?.Dispose();
        TargetTimes?.Dispose();
    }
}
