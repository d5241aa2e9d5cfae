using PLaw.Engine.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

/// <summary>
/// The int64 arrays a <see cref="TorchBatch"/> is staged in: the batch's int item ids widened, its times copied. They grow
/// to the largest batch once and are then reused, as <see cref="SequenceBatch"/> reuses its own, so a training step
/// allocates no index arrays. On the CPU a batch's tensors share these arrays (no copy): a batch is valid until the
/// next batch is staged here. On another device they are copied over, and the arrays are free again at once.
/// </summary>
public sealed class TorchBatchStaging
{
    private long[] _inputs = [], _targets = [], _negatives = [], _inputTimes = [], _targetTimes = [];

    internal Tensor Inputs(SequenceBatch batch, Device device) =>
        Widen(ref _inputs, batch.Inputs.AsSpan(0, batch.Rows), batch.Count, batch.Length, device);

    internal Tensor Targets(SequenceBatch batch, Device device) =>
        Widen(ref _targets, batch.Targets.AsSpan(0, batch.Rows), batch.Count, batch.Length, device);

    internal Tensor Negatives(SequenceBatch batch, Device device) =>
        Widen(ref _negatives, batch.Negatives.AsSpan(0, batch.Rows * batch.NegativesPerPosition), batch.Rows, batch.NegativesPerPosition, device);

    internal Tensor InputTimes(SequenceBatch batch, Device device) =>
        Copy(ref _inputTimes, batch.InputTimes.AsSpan(0, batch.Rows), batch.Count, batch.Length, device);

    internal Tensor TargetTimes(SequenceBatch batch, Device device) =>
        Copy(ref _targetTimes, batch.TargetTimes.AsSpan(0, batch.Rows), batch.Count, batch.Length, device);

    private static Tensor Widen(ref long[] buffer, ReadOnlySpan<int> values, long rows, long cols, Device device)
    {
        var staged = Grow(ref buffer, values.Length);
        for (var i = 0; i < values.Length; i++) staged[i] = values[i];
        return Share(staged, values.Length, rows, cols, device);
    }

    private static Tensor Copy(ref long[] buffer, ReadOnlySpan<long> values, long rows, long cols, Device device)
    {
        var staged = Grow(ref buffer, values.Length);
        values.CopyTo(staged);
        return Share(staged, values.Length, rows, cols, device);
    }

    private static long[] Grow(ref long[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new long[length];
        return buffer;
    }

    // torch.tensor(long[]) would clone the array first; frombuffer shares it (the tensor pins it until freed).
    private static Tensor Share(long[] staged, int length, long rows, long cols, Device device)
    {
        if (length == 0) return empty([rows, cols], ScalarType.Int64, device);
        using var flat = frombuffer(staged, ScalarType.Int64, count: length);
        var shaped = flat.view(rows, cols);
        if (device.type == DeviceType.CPU) return shaped;
        using (shaped) return shaped.to(device);
    }
}
