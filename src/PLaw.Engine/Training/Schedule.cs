using PLaw.Engine.Optim;

namespace PLaw.Engine.Training;

public static class Schedules
{
    /// <summary>Warm-up and optional cosine decay of <see cref="RunOptions.LearningRate"/> at a 1-based step.</summary>
    public static double LearningRateSchedule(RunOptions o, long step, long totalSteps) =>
        LearningRate.At(step, o.LearningRate, o.WarmupSteps, o.CosineDecay, o.MinLearningRate, totalSteps);
}
