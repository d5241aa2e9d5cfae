namespace PLaw.Engine.Torch.Tests.Training;

/// <summary>
/// Tests that need torch's process-wide generator to themselves: a torch session reseeds it at every step and dropout
/// draws from it, so another test class training or drawing masks at the same time changes their numbers. xUnit runs
/// this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGeneratorCollection
{
    public const string Name = "torch generator";
}
