using PLaw.Engine.Torch.Training;
using PLaw.Engine.Training;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>A real libtorch allocation failure becomes a message that names the device, batch size and model size.</summary>
public sealed class OutOfMemoryTests
{
    [Fact]
    public void LibtorchsOwnOutOfMemoryErrorIsExplainedWithBatchAndModelSize()
    {
        // 2^50 floats (4 PiB): libtorch's CPU allocator refuses at once, with its own words.
        var e = Assert.ThrowsAny<Exception>(() => empty(1L << 50, ScalarType.Float32));
        Assert.True(TorchOutOfMemory.Is(e), $"libtorch's allocation failure was not recognised: {e.GetType().Name}: {e.Message}");
        var options = new RunOptions { Dim = 512, Layers = 4, BatchSize = 1024, MaxLength = 200 };
        var explained = TorchOutOfMemory.Explain(e, options, ParameterCount.Of(options, 3416), "cpu");
        Assert.StartsWith($"Out of memory on cpu at batch size 1024 with a {options.DisplayName} model of ", explained.Message, StringComparison.Ordinal);
        Assert.Contains("lower --batch, --max-len, --dim or --layers", explained.Message, StringComparison.Ordinal);
        Assert.Contains("libtorch said: ", explained.Message, StringComparison.Ordinal);
        Assert.Same(e, explained.InnerException);
    }

    [Fact]
    public void OtherErrorsAreNotTakenForOutOfMemory()
    {
        // A libtorch error of another kind (a shape mismatch), and a managed one.
        Assert.False(TorchOutOfMemory.Is(new System.Runtime.InteropServices.ExternalException(
            "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)\nException raised from meta at …")));
        Assert.False(TorchOutOfMemory.Is(new InvalidOperationException("out of memory")));
    }
}
