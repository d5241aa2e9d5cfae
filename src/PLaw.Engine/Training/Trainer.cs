using PLaw.Data.Sequences;

namespace PLaw.Engine.Training;

/// <summary>Runs a training job: builds the model, trains, evaluates, checkpoints, reports progress.</summary>
public sealed class Trainer
{
    public static Task<RunResult> RunAsync(RunOptions options, SequenceSet data, TrainerContext context,
        IProgress<TrainingEvent>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(context);
        throw new NotImplementedException("The training loop lands in the next commit.");
    }
}
