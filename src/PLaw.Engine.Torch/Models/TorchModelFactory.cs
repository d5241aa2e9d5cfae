using PLaw.Engine.Training;
using static TorchSharp.torch;

namespace PLaw.Engine.Torch.Models;

public static class TorchModelFactory
{
    public static TorchSequenceModel Create(RunOptions options, int itemCount, Device device, ScalarType dtype) =>
        options.Model switch
        {
            ModelFamily.Sasrec => new TorchSasrec(options, itemCount, device, dtype),
            ModelFamily.Hstu when options.ResolvedVariant == Variants.Reference => new TorchHstuReference(options, itemCount, device, dtype),
            ModelFamily.Hstu => new TorchHstuPLaw(options, itemCount, device, dtype),
            _ => new TorchLlama(options, itemCount, device, dtype),
        };
}
