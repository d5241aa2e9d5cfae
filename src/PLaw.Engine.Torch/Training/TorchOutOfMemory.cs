using System.Runtime.InteropServices;
using PLaw.Engine.Training;

namespace PLaw.Engine.Torch.Training;

/// <summary>
/// libtorch's out-of-memory errors ("CUDA out of memory…", "DefaultCPUAllocator: not enough memory…") as a message a
/// user can act on: the device, batch size and model size, and what to lower.
/// </summary>
public static class TorchOutOfMemory
{
    public static bool Is(Exception e) => e is ExternalException or OutOfMemoryException &&
        (e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) ||
         e.Message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase) ||
         e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase));

    public static InvalidOperationException Explain(Exception e, RunOptions options, ParameterCounts counts, string device)
    {
        var first = e.Message.Split('\n', 2)[0].Trim();
        return new InvalidOperationException(
            $"Out of memory on {device} at batch size {options.BatchSize} with a {options.DisplayName} model of {counts.Total:N0} " +
            $"parameters ({counts.Embedding:N0} embedding), length {options.MaxLength}: lower --batch, --max-len, --dim or --layers, " +
            $"or train on a device with more memory. libtorch said: {first}", e);
    }
}
