using PLaw.Engine.Training;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

// Placeholder until the family is written: the factory names every family.
public sealed class TorchLlama(RunOptions options, int itemCount, Device device, ScalarType dtype)
    : TorchSequenceModel(options, itemCount, device, dtype)
{
    public override Tensor Forward(TorchBatch batch, bool training) => throw new NotSupportedException("TorchLlama is not written yet.");
}
