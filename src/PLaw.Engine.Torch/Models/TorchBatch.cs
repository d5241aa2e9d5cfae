using PLaw.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// A <see cref="SequenceBatch"/> as int64 tensors on a device: inputs and targets [B, L] (0 = pad / no target),
/// negatives [B·L, n], and the input and target times [B, L] when the data has them. The batch layout is the native
/// engine's (left-padded windows, newest at L − 1), so both backends see the same rows.
/// </summary>
public sealed class TorchBatch : IDisposable
{
    public TorchBatch(SequenceBatch batch, Device device)
    {
        Count = batch.Count;
        Length = batch.Length;
        var rows = batch.Rows;
        Inputs = tensor(batch.Inputs.AsSpan(0, rows).ToArray().Select(i => (long)i).ToArray(), [Count, Length], device: device);
        Targets = tensor(batch.Targets.AsSpan(0, rows).ToArray().Select(i => (long)i).ToArray(), [Count, Length], device: device);
        var n = batch.NegativesPerPosition;
        Negatives = n == 0
            ? zeros([rows, 0], ScalarType.Int64, device)
            : tensor(batch.Negatives.AsSpan(0, rows * n).ToArray().Select(i => (long)i).ToArray(), [rows, n], device: device);
        HasTimes = batch.HasTimes;
        if (HasTimes)
        {
            InputTimes = tensor(batch.InputTimes.AsSpan(0, rows).ToArray(), [Count, Length], device: device);
            TargetTimes = tensor(batch.TargetTimes.AsSpan(0, rows).ToArray(), [Count, Length], device: device);
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
