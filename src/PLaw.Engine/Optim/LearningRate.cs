namespace PLaw.Engine.Optim;

/// <summary>The learning rate as a pure function of the step (nanoGPT): linear warm-up over <c>warmup</c> steps from
/// lr/warmup to lr, then constant, or cosine decay to <c>min</c> at <c>totalSteps</c>:
/// lr_t = min + ½(lr − min)(1 + cos(π·(t − warmup)/(total − warmup))).</summary>
public static class LearningRate
{
    public static double At(long step, double peak, int warmup, bool cosine, double min, long totalSteps)
    {
        if (warmup > 0 && step <= warmup) return peak * step / warmup;
        if (!cosine || totalSteps <= warmup) return peak;
        var progress = Math.Clamp((double)(step - warmup) / (totalSteps - warmup), 0, 1);
        return min + 0.5 * (peak - min) * (1 + Math.Cos(Math.PI * progress));
    }
}
